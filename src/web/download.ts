// A download: the body with a Chinese file name the browser keeps (RFC 6266 / RFC 5987: an ASCII fallback and the
// UTF-8 name percent-encoded).

import type { FastifyReply } from 'fastify';

/** A download: a file name in Chinese for the browser, the body as given. */
export function sendDownload(
  reply: FastifyReply,
  fileName: string,
  type: string,
  body: Buffer | Uint8Array | NodeJS.ReadableStream,
): FastifyReply {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .send(body);
}
