import { describe, expect, it } from 'vitest';
import type { TemplateDeclaration } from '../../../../lib/core/desired/resolveTemplates.js';
import { grantReach } from '../../../../lib/core/grants/grantReach.js';
import type { DeclaredSource, GrantBounds, GrantCatalog } from '../../../../lib/core/grants/types.js';
import type { InventoryConfiguration } from '../../../../lib/core/inventory/types.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import { KEY_ARN } from '../../../helpers/reconcileFactories.js';

const HOME = '111122223333';
const MEMBER_A = '222233334444';
const MEMBER_B = '333344445555';
const OUTSIDER = '999988887777';
const ORG = 'o-a1b2c3d4e5';
const OU_APPS = 'ou-ab12-cdef3456';
const membership = {
  organizationId: ORG,
  accounts: { [HOME]: [ORG], [MEMBER_A]: [ORG, OU_APPS], [MEMBER_B]: [ORG, OU_APPS] },
};
const bounds: GrantBounds = { home: HOME, allowed: new Set([HOME, MEMBER_A, MEMBER_B]), membership };

function declared(
  bucket: string,
  configurations: InventoryConfiguration[],
  extra: Partial<DeclaredSource> = {},
) {
  return {
    bucket,
    mode: 'enforce' as const,
    prune: false,
    items: configurations.map((configuration) => ({ bucket, id: configuration.Id!, configuration })),
    ...extra,
  };
}

function template(
  name: string,
  match: TemplateDeclaration['template']['match'],
  inventories = [makeConfiguration()],
) {
  return {
    template: { name, match, inventories },
    defaults: {},
    origin: `#templates/${name}`,
  } as TemplateDeclaration;
}

function catalog(parts: Partial<GrantCatalog>): GrantCatalog {
  return { declared: [], templates: [], refusedTemplates: 0, ...parts };
}

const accountsOf = (reach: ReturnType<typeof grantReach>, name: string) =>
  [
    ...new Set(reach.policies.find((policy) => policy.name === name)!.deliveries.map((d) => d.account)),
  ].sort();

describe('grantReach()', () => {
  it('gives a declared bucket its own account, the home account when it declares none', () => {
    const reach = grantReach(
      catalog({
        declared: [
          declared('photos', [makeConfiguration()]),
          declared('logs', [makeConfiguration()], { account: MEMBER_A }),
        ],
      }),
      bounds,
    );
    expect(reach.policies.map((policy) => [policy.target, policy.name])).toEqual([
      ['destination-policy', 'inventory-reports'],
    ]);
    expect(accountsOf(reach, 'inventory-reports')).toEqual([HOME, MEMBER_A]);
    expect(reach.partial).toEqual([]);
  });

  it("resolves a template's OU ids through the membership and keeps to the allowed accounts", () => {
    const reach = grantReach(catalog({ templates: [template('apps', { accounts: [OU_APPS, OUTSIDER] })] }), {
      ...bounds,
      allowed: new Set([HOME, MEMBER_A]),
    });
    // MEMBER_B is in the OU but not allowed; OUTSIDER is named but not allowed: neither is ever reached.
    expect(accountsOf(reach, 'inventory-reports')).toEqual([MEMBER_A]);
    expect(reach.policies[0]!.deliveries[0]).toMatchObject({
      account: MEMBER_A,
      configurationId: 'daily-csv',
    });
    expect(reach.policies[0]!.deliveries[0]!.bucket).toBeUndefined();
  });

  it('gives a template without match.accounts the home account only', () => {
    const reach = grantReach(catalog({ templates: [template('prod', { tags: { env: 'prod' } })] }), bounds);
    expect(accountsOf(reach, 'inventory-reports')).toEqual([HOME]);
  });

  it('never reaches a declared bucket whose account is not allowed', () => {
    const reach = grantReach(
      catalog({ declared: [declared('x', [makeConfiguration()], { account: OUTSIDER })] }),
      bounds,
    );
    expect(reach.policies).toEqual([]);
  });

  it('adds the key policy of SSE-KMS configurations, homed on the first destination', () => {
    const reach = grantReach(
      catalog({ declared: [declared('enc', [makeKmsConfiguration(KEY_ARN)], { account: MEMBER_B })] }),
      bounds,
    );
    const key = reach.policies.find((policy) => policy.target === 'key-policy')!;
    expect(key).toMatchObject({ name: KEY_ARN, destinations: ['inventory-reports'], partition: 'aws' });
    expect(accountsOf(reach, KEY_ARN)).toEqual([MEMBER_B]);
  });

  it('knows the owner a destination must have: AccountId, else the one source account', () => {
    const owned = makeConfiguration({
      Destination: {
        S3BucketDestination: { Bucket: 'arn:aws:s3:::inventory-reports', Format: 'CSV', AccountId: HOME },
      },
    });
    const agreeing = grantReach(
      catalog({ declared: [declared('a', [owned], { account: MEMBER_A })] }),
      bounds,
    );
    expect(agreeing.policies[0]!.owner).toBe(HOME);
    const disagreeing = grantReach(
      catalog({
        declared: [
          declared('a', [makeConfiguration()], { account: MEMBER_A }),
          declared('b', [makeConfiguration()]),
        ],
      }),
      bounds,
    );
    expect(disagreeing.policies[0]!.owner).toBeUndefined();
  });

  it('is partial (no pruning) with a refused template, an invalid item or OU ids without a membership', () => {
    expect(grantReach(catalog({ refusedTemplates: 1 }), bounds).partial).toHaveLength(1);
    const invalid = {
      ...makeConfiguration(),
      Schedule: { Frequency: 'Hourly' },
    } as unknown as InventoryConfiguration;
    const withInvalid = grantReach(catalog({ declared: [declared('bad', [invalid])] }), bounds);
    expect(withInvalid.partial).toEqual(['bucket bad: 1 invalid configuration(s)']);
    expect(withInvalid.policies).toEqual([]);
    const unresolved = grantReach(catalog({ templates: [template('apps', { accounts: [OU_APPS] })] }), {
      ...bounds,
      membership: undefined,
    });
    expect(unresolved.partial).toEqual(['template apps: its organization or OU ids are not resolved']);
    expect(grantReach(catalog({ incomplete: 'why' }), bounds).partial).toEqual(['why']);
  });
});
