import type { Check, PhotoKind } from '../../api/types.js';

export const PHOTO_LABELS: Record<PhotoKind, string> = { id_front: 'Front of ID', id_back: 'Back of ID', selfie: 'Selfie' };

/** The photos the check asks for; received ones are shown from their short-lived signed URLs. */
export function CheckPhotos({ check }: { check: Check }) {
  if (check.redacted_at) return null;
  return (
    <section className="card" aria-labelledby="photos-title">
      <h2 id="photos-title">Photos</h2>
      <div className="photos">
        {check.photos_required.map((kind) => {
          const photo = check.photos?.filter((p) => p.kind === kind).at(-1);
          return (
            <figure key={kind} className="photo">
              {photo ? <a href={photo.url} target="_blank" rel="noreferrer"><img src={photo.url} alt={`${PHOTO_LABELS[kind]} sent by the customer`} /></a>
                : <div className="photo__missing">Not sent yet</div>}
              <figcaption>{PHOTO_LABELS[kind]}</figcaption>
            </figure>
          );
        })}
      </div>
    </section>
  );
}
