import type { Check } from '../../api/types.js';
import { VerdictBadge } from '../../components/badges.js';
import { humanize } from '../../components/format.js';

const SUB_CHECK_LABELS: Record<string, string> = {
  document_readable: 'The ID is readable',
  required_fields: 'Name, date of birth, expiry and number are present',
  not_expired: 'The ID has not expired',
  min_age: 'The customer is old enough',
  face_match: 'The selfie matches the ID',
};

/** The verdict and each sub-check that decides it (any failure fails the check at once). */
export function CheckVerdict({ check }: { check: Check }) {
  const { result } = check;
  return (
    <section className="card" aria-labelledby="verdict-title">
      <div className="card__header">
        <h2 id="verdict-title">Verdict</h2>
        <VerdictBadge verdict={result.verdict} />
      </div>
      {result.error && <p className="verdict-error">Failed with <code>{result.error}</code></p>}
      {check.manually_overridden && <p className="small muted">The verdict was set by hand.</p>}
      {result.sub_checks.length === 0 ? (
        <p className="muted">No results yet: they arrive with the customer's photos.</p>
      ) : (
        <ul className="sub-checks">
          {result.sub_checks.map((sub) => (
            <li key={sub.type} className={`sub-check sub-check--${sub.status}`}>
              <span className="sub-check__icon" aria-hidden="true">{sub.status === 'passed' ? '✓' : sub.status === 'failed' ? '✕' : '–'}</span>
              <span className="sub-check__label">{SUB_CHECK_LABELS[sub.type] ?? humanize(sub.type)}</span>
              <span className="sub-check__status">
                {humanize(sub.status)}
                {sub.score !== undefined && <span className="muted"> · score {sub.score}</span>}
                {sub.error && <code className="small"> {sub.error}</code>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
