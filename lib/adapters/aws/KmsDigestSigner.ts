import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { DigestSignature, DigestSigner } from '../../usecases/anchorAudit/ports.js';
import { AwsAdapterError } from './errors.js';
import { loadSdk } from './loadSdk.js';
import { callAws } from './toAdapterError.js';

/** The key spec and algorithm digests are signed with (docs/aws-facts.md "Audit digests"). */
export const DIGEST_SIGNING = { keySpec: 'ECC_NIST_P256', algorithm: 'ECDSA_SHA_256' } as const;

export interface KmsDigestSignerOptions {
  client: () => Promise<Pick<KMSClient, 'send'>>;
  /** The asymmetric signing key (`S3IR_DIGEST_KEY_ID`): id, ARN or alias. */
  keyId: string;
}

/**
 * Signs digests with an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY; kms:Sign) and checks signatures
 * with its public key (kms:GetPublicKey once, then node:crypto), as CloudTrail's validator does: one KMS
 * call per verify instead of one kms:Verify per digest, and the check needs no permission to sign.
 *
 * The message signed is the digest's 32-byte sha256 with MessageType RAW, so KMS signs sha256(sha256(body)).
 * MessageType DIGEST would sign the hash itself, but moto 5.2.1 ignores MessageType and hashes a DIGEST
 * message again, so a DIGEST signature from the local AWS would not verify as one from AWS does; RAW over
 * 32 bytes means the same on both (docs/aws-facts.md "Audit digests").
 */
export class KmsDigestSigner implements DigestSigner {
  private readonly options: KmsDigestSignerOptions;
  private publicKey: Promise<KeyObject> | undefined;

  constructor(options: KmsDigestSignerOptions) {
    this.options = options;
  }

  async sign(hashHex: string): Promise<DigestSignature> {
    const { SignCommand } = await loadSdk('kms');
    const client = await this.options.client();
    const answer = await callAws(`Sign ${this.options.keyId}`, () =>
      client.send(
        new SignCommand({
          KeyId: this.options.keyId,
          Message: Buffer.from(hashHex, 'hex'),
          MessageType: 'RAW',
          SigningAlgorithm: DIGEST_SIGNING.algorithm,
        }),
      ),
    );
    if (!answer.Signature || !answer.KeyId)
      throw new AwsAdapterError({
        code: 'InvalidSignResponse',
        message: `Sign ${this.options.keyId}: no signature`,
      });
    return {
      signature: Buffer.from(answer.Signature).toString('base64'),
      keyId: answer.KeyId,
      algorithm: answer.SigningAlgorithm ?? DIGEST_SIGNING.algorithm,
    };
  }

  async verify(hashHex: string, signature: string): Promise<boolean> {
    const key = await this.key();
    return verify(
      'sha256',
      Buffer.from(hashHex, 'hex'),
      { key, dsaEncoding: 'der' },
      Buffer.from(signature, 'base64'),
    );
  }

  private key(): Promise<KeyObject> {
    this.publicKey ??= (async () => {
      const { GetPublicKeyCommand } = await loadSdk('kms');
      const client = await this.options.client();
      const answer = await callAws(`GetPublicKey ${this.options.keyId}`, () =>
        client.send(new GetPublicKeyCommand({ KeyId: this.options.keyId })),
      );
      if (!answer.PublicKey || answer.KeyUsage !== 'SIGN_VERIFY')
        throw new AwsAdapterError({
          code: 'InvalidSigningKey',
          message: `GetPublicKey ${this.options.keyId}: not an asymmetric SIGN_VERIFY key (KeyUsage ${answer.KeyUsage})`,
        });
      return createPublicKey({ key: Buffer.from(answer.PublicKey), format: 'der', type: 'spki' });
    })().catch((error: unknown) => {
      this.publicKey = undefined;
      throw error;
    });
    return this.publicKey;
  }
}
