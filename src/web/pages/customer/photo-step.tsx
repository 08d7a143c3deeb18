import { useEffect, useId, useState } from 'react';
import { ApiError } from '../../api/client.js';
import type { PhotoKind } from '../../api/types.js';
import { Notice } from '../../components/notice.js';
import { shrinkPhoto } from './shrink-photo.js';

const INSTRUCTIONS: Record<PhotoKind, { title: string; text: string; capture: 'environment' | 'user'; button: string }> = {
  id_front: { title: 'The front of your ID', text: 'Lay your ID on a dark, flat surface. Make sure all four corners are in the picture, there is no glare, and the text is sharp.', capture: 'environment', button: 'Take a photo of the front' },
  id_back: { title: 'The back of your ID', text: 'Turn your ID over. Again: all four corners, no glare, sharp text.', capture: 'environment', button: 'Take a photo of the back' },
  selfie: { title: 'A selfie', text: 'Face the camera in good light, alone in the picture, without sunglasses or a hat.', capture: 'user', button: 'Take a selfie' },
};

/** Why a photo was refused, in words that say what to do next. */
function retakeMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'RID_ERR_PHOTO_TOO_LARGE' || error.status === 413) return 'This photo is too large. Take it again, a little further away, or choose a smaller file.';
    if (error.code === 'RID_ERR_PHOTO_INVALID') return 'This file is not a photo we can read (JPEG, PNG, WebP or HEIC). Please take the photo again.';
    if (error.code === 'RID_ERR_NETWORK') return error.message;
    return `${error.message} Please take the photo again.`;
  }
  return 'The photo could not be sent. Please try again.';
}

/** One photo: instructions, the camera (or a file on a computer), a preview, then send. */
export function PhotoStep({ kind, onSend }: { kind: PhotoKind; onSend(photo: Blob): Promise<void> }) {
  const info = INSTRUCTIONS[kind];
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const send = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      await onSend(await shrinkPhoto(file));
    } catch (caught) {
      setError(retakeMessage(caught));
      setFile(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="customer-step" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>{info.title}</h2>
      <p>{info.text}</p>
      {error && <Notice tone="error" title="Please retake this photo">{error}</Notice>}
      {preview ? (
        <div className="preview">
          <img src={preview} alt={`Your photo: ${info.title.toLowerCase()}`} />
          <div className="button-column">
            <button type="button" className="btn btn--primary btn--block btn--large" onClick={() => void send()} disabled={busy}>{busy ? 'Sending…' : 'Use this photo'}</button>
            <button type="button" className="btn btn--block" onClick={() => setFile(null)} disabled={busy}>Retake</button>
          </div>
        </div>
      ) : (
        <>
          {/* The label is the big button; the input stays reachable by keyboard and screen readers. */}
          <input id={inputId} className="file-input" type="file" accept="image/*" capture={info.capture} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <label htmlFor={inputId} className="btn btn--primary btn--block btn--large">{info.button}</label>
          <p className="small muted center">On a computer, this lets you choose a photo file.</p>
        </>
      )}
    </section>
  );
}
