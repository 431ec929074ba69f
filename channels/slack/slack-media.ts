import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { FetchedMedia } from '../channel-port.js';
import type { VoiceAttachment } from '../message.js';
import { platformErrorCode, SlackFileTooLargeError, SlackFileUnavailableError } from './slack-errors.js';

export interface SlackFileDownload {
  client: webApi.WebClient;
  botToken: string;
  /** SLACK_API_URL; when it is not slack.com (a local fake or proxy), downloads go through its host too. */
  apiUrl: string | undefined;
  attachment: VoiceAttachment;
  maxBytes: number;
  timeoutMs?: number;
}

const FileInfoSchema = z
  .object({
    id: z.string(),
    mimetype: z.string().optional(),
    size: z.number().optional(),
    url_private: z.string().optional(),
    url_private_download: z.string().optional(),
  })
  .loose();

const MAX_REDIRECTS = 3;

/**
 * Downloads a file a message carried: `files.info` for its private URL, then a GET of `url_private`
 * with the bot token (Slack's files are private; the token is the only way in). The token is sent only
 * to Slack (https, *.slack.com) or to the configured API host; at most `maxBytes` are read.
 *
 * @example
 * const media = await downloadSlackFile({ client, botToken, apiUrl, attachment, maxBytes: 25 * 1024 * 1024 });
 */
export async function downloadSlackFile(options: SlackFileDownload): Promise<FetchedMedia> {
  const { attachment, maxBytes } = options;
  const fileId = attachment.fileRef;
  let info: unknown;
  try {
    info = (await options.client.files.info({ file: fileId })).file;
  } catch (error) {
    throw new SlackFileUnavailableError(fileId, `files.info answered ${platformErrorCode(error) ?? (error as Error).message}`, { cause: error });
  }
  const file = FileInfoSchema.safeParse(info);
  if (!file.success) throw new SlackFileUnavailableError(fileId, 'files.info answered without a file');
  if (file.data.size !== undefined && file.data.size > maxBytes) throw new SlackFileTooLargeError(fileId, maxBytes);
  const privateUrl = file.data.url_private_download ?? file.data.url_private;
  if (!privateUrl) throw new SlackFileUnavailableError(fileId, 'files.info gave no url_private');

  const signal = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  let url = downloadUrl(privateUrl, options.apiUrl, fileId);
  let response: Response | undefined;
  for (let hop = 0; ; hop++) {
    response = await fetch(url, { headers: { authorization: `Bearer ${options.botToken}` }, redirect: 'manual', signal }).catch((error: unknown) => {
      throw new SlackFileUnavailableError(fileId, (error as Error).message, { cause: error });
    });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) break;
    if (hop >= MAX_REDIRECTS) throw new SlackFileUnavailableError(fileId, 'too many redirects');
    await response.body?.cancel();
    url = downloadUrl(new URL(location, url).toString(), options.apiUrl, fileId);
  }
  if (!response.ok) throw new SlackFileUnavailableError(fileId, `HTTP ${response.status}`);
  // Without a valid token Slack answers 200 with its sign-in page, not an error.
  if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
    await response.body?.cancel();
    throw new SlackFileUnavailableError(fileId, 'Slack answered with a web page (is files:read granted, and the file shared where the bot is?)');
  }
  const bytes = await readAtMost(response, maxBytes, fileId);
  const declared = file.data.mimetype ?? attachment.declaredMimeType;
  return { bytes, ...(declared ? { declaredMimeType: declared } : {}) };
}

/**
 * Where to download from. With Slack's own API the URL must be https on slack.com; with another API
 * host (SLACK_API_URL pointing at a local fake or proxy) the file's path is fetched from that host.
 */
function downloadUrl(raw: string, apiUrl: string | undefined, fileId: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SlackFileUnavailableError(fileId, 'the file URL is not a URL');
  }
  const api = apiUrl ? new URL(apiUrl) : undefined;
  if (api && !isSlackHost(api.hostname)) return new URL(`${url.pathname}${url.search}`, api.origin);
  if (url.protocol !== 'https:' || !isSlackHost(url.hostname)) {
    throw new SlackFileUnavailableError(fileId, `the file URL is not on slack.com (${url.hostname}); the bot token is never sent elsewhere`);
  }
  return url;
}

function isSlackHost(hostname: string): boolean {
  return hostname === 'slack.com' || hostname.endsWith('.slack.com');
}

async function readAtMost(response: Response, maxBytes: number, fileId: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new SlackFileTooLargeError(fileId, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new SlackFileTooLargeError(fileId, maxBytes);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
