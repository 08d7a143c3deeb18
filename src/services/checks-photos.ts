import type { AppContext } from '../context.js';
import type { PhotoKind } from '../core/check-rules.js';
import { applyCommand } from '../core/check-state.js';
import { AppError } from '../core/errors.js';
import type { ImageMime } from '../core/image-sniff.js';
import type { IdErrorType, SubCheck } from '../core/verdict.js';
import type { CheckRow } from '../db/repos/checks.js';
import { findPhoto, insertPhoto, listPhotoMeta } from '../db/repos/photos.js';
import { analyzerFor } from './checks-analyzer.js';
import { transitionCheck } from './checks-transition.js';
import { customerOf, stateOfRow } from './checks-view.js';
import { openPhoto, sealPhoto } from './photos.js';

export interface PhotoSubmission {
  kind: PhotoKind;
  mime: ImageMime;
  bytes: Buffer;
  /** Simulation only: the sandbox's forced outcome (null = pass), and findings to add on top. */
  forcedError?: IdErrorType | null;
  extraFindings?: SubCheck[];
}

/**
 * Accepts one photo: seal and store it, let the analyzer judge it (outside any transaction: a
 * vendor may take seconds), then record it, the new state and its events in one transaction. If
 * that transaction fails (say a concurrent upload of the same kind won), the stored bytes go too.
 */
export async function submitPhoto(ctx: AppContext, check: CheckRow, photo: PhotoSubmission): Promise<CheckRow> {
  if (check.redacted_at !== null) throw new AppError('RID_ERR_CHECK_REDACTED');
  // Refuse early, before storing or analysing anything, when the photo cannot be taken.
  applyCommand(stateOfRow(check), { kind: 'photo', photo: photo.kind, findings: [] });

  const sealed = await sealPhoto(ctx, { checkId: check.id, accountId: check.account_id, kind: photo.kind, mime: photo.mime, bytes: photo.bytes });
  try {
    const testing = check.testing === 1;
    const analyzer = analyzerFor(ctx, testing);
    const state = stateOfRow(check);
    let findings: SubCheck[] = [];
    try {
      findings = await analyzer.analyze({
        checkId: check.id,
        rules: state.rules,
        newPhoto: photo.kind,
        lastName: testing ? (customerOf(ctx, check)?.last_name ?? null) : null,
        forcedError: photo.forcedError,
        loadPhotos: async () => {
          const earlier = await Promise.all((await listPhotoMeta(ctx.db.kysely, check.id)).map(async (meta) => {
            const row = await findPhoto(ctx.db.kysely, meta.id);
            return { kind: meta.kind, mime: meta.mime, bytes: await openPhoto(ctx, row!) };
          }));
          return [...earlier, { kind: photo.kind, mime: photo.mime, bytes: photo.bytes }];
        },
      });
    } catch (error) {
      // The photo is safe with us; without the vendor's opinion the check falls to manual review
      // rather than failing the customer for our outage.
      ctx.log.warn({ err: error, checkId: check.id, kind: photo.kind }, 'analyzer unavailable; the check will need manual review');
    }
    const { row } = await transitionCheck(ctx, {
      checkId: check.id,
      accountId: check.account_id,
      commands: () => [{ kind: 'photo', photo: photo.kind, findings: [...findings, ...(photo.extraFindings ?? [])] }],
      alongside: (tx) => insertPhoto(tx, sealed.row),
    });
    return row;
  } catch (error) {
    await sealed.discard();
    throw error;
  }
}
