import { loadSdk } from './loadSdk.js';

/**
 * The region the SDK resolves by itself: `AWS_REGION`, else the `region` of the profile (`AWS_PROFILE`, else
 * `default`) in the shared config file (`AWS_CONFIG_FILE`, else ~/.aws/config). Undefined when neither names
 * one. Asks a client's own region provider, so the rules are the SDK's, not a copy of them.
 */
export async function sdkRegion(): Promise<string | undefined> {
  const { STSClient } = await loadSdk('sts');
  const client = new STSClient({});
  try {
    return (await client.config.region()) || undefined;
  } catch {
    // "Region is missing": nothing names one.
    return undefined;
  } finally {
    client.destroy();
  }
}
