/**
 * What kind of failure an attempt met, in the words the delivery log and metrics use. The codes
 * come from Node's sockets, its DNS resolver, its TLS stack and undici.
 */
export type ErrorKind = 'timeout' | 'refused' | 'reset' | 'dns' | 'tls' | 'blocked' | 'http_error' | 'other';

const BY_CODE: Record<string, ErrorKind> = {
  RID_DESTINATION_BLOCKED: 'blocked',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
};

function causes(error: unknown): Array<{ code?: string; name?: string; message?: string }> {
  const chain: Array<{ code?: string; name?: string; message?: string; cause?: unknown }> = [];
  let current = error as { cause?: unknown } | undefined;
  while (current && typeof current === 'object' && chain.length < 5) {
    chain.push(current as never);
    current = current.cause as never;
  }
  return chain;
}

export function classifyError(error: unknown): ErrorKind {
  for (const link of causes(error)) {
    if (link.name === 'TimeoutError' || link.name === 'AbortError') return 'timeout';
    const code = link.code ?? '';
    if (BY_CODE[code]) return BY_CODE[code];
    if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/.test(code)) return 'tls';
  }
  return 'other';
}
