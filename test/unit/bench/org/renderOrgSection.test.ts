import { describe, expect, it } from 'vitest';
import {
  SECTION_END as AUDIT_END,
  SECTION_START as AUDIT_START,
} from '../../../../bench/audit/renderAuditSection.js';
import { evaluateOrgTargets } from '../../../../bench/org/orgTargets.js';
import {
  ORG_SECTION,
  orgSectionOf,
  renderOrgSection,
  withOrgSection,
} from '../../../../bench/org/renderOrgSection.js';
import { sectionOf, withSection } from '../../../../bench/render/markedSection.js';
import { makeOrgResults, makeOrgSize, orgSweep } from './orgFixtures.js';

function results() {
  const size = makeOrgSize();
  return makeOrgResults(size, evaluateOrgTargets(size));
}

describe('renderOrgSection()', () => {
  it("says the settling sweep apart: the first sweep's summaries sent, with their writes and publishes", () => {
    const settle = orgSweep(10_000, { 'dynamodb.DeleteItem': 50, 'sns.Publish': 50, 'dynamodb.Query': 1 });
    const size = makeOrgSize({ settle });
    const section = renderOrgSection(makeOrgResults(size, evaluateOrgTargets(size)));
    expect(section).toContain(
      "it sends the first sweep's summaries, one alert per run and account (50 SNS Publish), and deletes their `#adoption` items (50 DynamoDB writes)",
    );
    expect(renderOrgSection(results())).not.toContain('settling sweep');
  });

  it('opens and closes with its markers, names the command, and judges every target', () => {
    const section = renderOrgSection(results());
    expect(
      section.startsWith(
        `${ORG_SECTION.start}\n## Organization scale (issue 18: \`npm run bench -- --accounts 50 --buckets 10000\`)`,
      ),
    ).toBe(true);
    expect(section.trimEnd().endsWith(ORG_SECTION.end)).toBe(true);
    expect(section).toContain('| First sweep: PutBucketPolicy on the shared destination | ≤ 1 | 1 | met |');
    expect(section).toContain('| Steady state: S3 calls per bucket | ≤ 1.02 | 1.005 | met |');
  });

  it('gives first and steady sweep times, calls per bucket by service, policy writes, policy size and peak RSS', () => {
    const section = renderOrgSection(results());
    expect(section).toContain('| wall time | 100.00 s | 100.00 s |');
    expect(section).toContain('| — s3 calls per bucket | 1.900 | 1.005 |');
    expect(section).toContain('| — organizations calls per bucket | – | 0.000 |');
    expect(section).toContain('| PutBucketPolicy on the destination | 1 | 0 |');
    expect(section).toContain('| STS AssumeRole (per member account) | 100 (2.00) | 0 (0.00) |');
    expect(section).toContain('**210 MiB**');
    expect(section).toContain('1,400 bytes, 1 statement naming 50 source accounts');
    expect(section).toContain('`bench-workloads` (holding `bench-prod` and `bench-dev`) and `bench-sandbox`');
  });
});

describe('withOrgSection() and orgSectionOf()', () => {
  const sweep = '# Benchmark results\n\nsweep numbers\n';
  const audit = `${AUDIT_START}\n## Audit\n${AUDIT_END}\n`;

  it('puts the section before the audit section, then replaces it in place', () => {
    const once = withOrgSection(`${sweep}\n${audit}`, renderOrgSection(results()));
    expect(once.indexOf(ORG_SECTION.start)).toBeGreaterThan(once.indexOf('sweep numbers'));
    expect(once.indexOf(ORG_SECTION.end)).toBeLessThan(once.indexOf(AUDIT_START));
    const other = `${ORG_SECTION.start}\nnew\n${ORG_SECTION.end}\n`;
    const again = withOrgSection(once, other);
    expect(orgSectionOf(again)).toBe(other);
    expect(again).toContain(audit.trimEnd());
    expect(again.startsWith(sweep)).toBe(true);
    expect(orgSectionOf(sweep)).toBeUndefined();
  });
});

describe('withSection()', () => {
  const markers = { start: '<!-- a -->', end: '<!-- /a -->' };

  it('appends to a file without the section or any marker to go before, and is the section alone in an empty one', () => {
    const section = `${markers.start}\nx\n${markers.end}\n`;
    expect(withSection('# T\n\n', section, markers, ['<!-- b -->'])).toBe(`# T\n\n${section}`);
    expect(withSection('', section, markers)).toBe(section);
    expect(sectionOf(withSection('# T\n', section, markers), markers)).toBe(section);
  });
});
