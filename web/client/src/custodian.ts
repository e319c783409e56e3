// The custodian's HTTP API, version 1 (docs/offchain-format.md section 6).
import { ClientError } from './errors';
import { fromHex, sealedKeyFromJson, toHex, type SealedKey } from './format';

export interface CustodianInfo {
  version: number;
  genesis: string;
  records: string;
  custodian_key: string;
  release_window_secs: number;
  max_blob_bytes: number;
}

export interface ReleaseRow {
  seq: number;
  record: number;
  reader: string;
  block: string;
  event_index: number;
  purpose: string;
  basis: string;
  released_at_ms: number;
}

/** A refusal of the custodian: `code` is its stable code (`open_not_found`, `block_not_finalized`, ...). */
export class CustodianError extends ClientError {
  readonly status: number;
  constructor(code: string, status: number, sentence: string) {
    super(code, sentence);
    this.name = 'CustodianError';
    this.status = status;
  }
}

export class Custodian {
  readonly base: string;
  constructor(base: string) {
    this.base = base.replace(/\/+$/, '');
  }

  private async call(path: string, init?: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, init);
    } catch (error) {
      throw new CustodianError('custodian_unreachable', 0, `the custodian at ${this.base} did not answer (${(error as Error).message}): start it or check its URL`);
    }
    if (!response.ok) {
      let code = 'http_error';
      let message = `the custodian answered ${response.status}`;
      try {
        const body = await response.json();
        code = body.code ?? code;
        message = body.message ?? message;
      } catch {
        /* not JSON */
      }
      throw new CustodianError(code, response.status, `The custodian refused: ${message}`);
    }
    return response;
  }

  private json = async <T>(path: string, body?: unknown): Promise<T> =>
    (await this.call(path, body === undefined ? undefined : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();

  info = () => this.json<CustodianInfo>('/v1/info');
  health = () => this.json<{ finalized: number }>('/v1/health');

  async putBlob(hash: Uint8Array, blob: Uint8Array): Promise<void> {
    await this.call(`/v1/blobs/${toHex(hash)}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: blob as BodyInit });
  }

  async getBlob(hash: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(await (await this.call(`/v1/blobs/${toHex(hash)}`)).arrayBuffer());
  }

  deposit = (request: { record: number; author: string; content_hash: string; sealed_key: unknown; time_ms: number; signature: string }) =>
    this.json<{ record: number }>('/v1/keys', request);

  async release(request: { record: number; reader: string; block: string; ephemeral_public: string; time_ms: number; signature: string }): Promise<{ record: number; block: string; event_index: number; sealed_key: SealedKey }> {
    const answer = await this.json<{ record: number; block: string; event_index: number; sealed_key: { ephemeral_public: string; nonce: string; ciphertext: string } }>('/v1/releases', request);
    return { ...answer, sealed_key: sealedKeyFromJson(answer.sealed_key) };
  }

  releases = (from = 0, limit = 100) => this.json<{ items: ReleaseRow[]; next?: number }>(`/v1/releases?from=${from}&limit=${limit}`);
}

export const hexBytes = fromHex;
