/**
 * What a merchant asks of a check (`rules` in the API) and what follows from it: which photos the
 * customer must send and which sub-checks decide the verdict.
 *
 * @example requiredPhotos({ id_check_type: 'idv', include_back_of_id: true, min_age: null, testing: false })
 *   // ['id_front', 'id_back', 'selfie']
 */
export const PHOTO_KINDS = ['id_front', 'id_back', 'selfie'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];

export const SUB_CHECK_TYPES = ['document_readable', 'required_fields', 'not_expired', 'min_age', 'face_match'] as const;
export type SubCheckType = (typeof SUB_CHECK_TYPES)[number];

export interface CheckRules {
  id_check_type: 'id' | 'idv';
  include_back_of_id: boolean;
  min_age: number | null;
  testing: boolean;
}

export function isPhotoKind(value: string): value is PhotoKind {
  return (PHOTO_KINDS as readonly string[]).includes(value);
}

/** In the order a customer is asked for them: the ID's front, its back when asked, then the selfie. */
export function requiredPhotos(rules: CheckRules): PhotoKind[] {
  return [
    'id_front',
    ...(rules.include_back_of_id ? (['id_back'] as const) : []),
    ...(rules.id_check_type === 'idv' ? (['selfie'] as const) : []),
  ];
}

/** The sub-checks that must all pass (or not apply) before a check passes. */
export function requiredSubChecks(rules: CheckRules): SubCheckType[] {
  return [
    'document_readable', 'required_fields', 'not_expired',
    ...(rules.min_age !== null ? (['min_age'] as const) : []),
    ...(rules.id_check_type === 'idv' ? (['face_match'] as const) : []),
  ];
}
