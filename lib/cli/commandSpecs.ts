import type { ParseArgsConfig } from 'node:util';
import { AuditAction } from '../core/audit/types.js';
import type { CommandHelp } from './parseCommand.js';
import type { Command } from './runCommand.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * What `s3ir` knows of a command before loading it: its help and flags (so `--help`, `help <command>`, a bad
 * flag and shell completion cost no import of the command, its libraries or the AWS SDK), and how to load it.
 */
export interface CommandSpec {
  /** `plan`, or `audit verify` for a subcommand. */
  name: string;
  /** One line for `s3ir --help`. */
  oneLine: string;
  help: CommandHelp;
  options: Options;
  /** Talks to AWS: takes `--profile` and `--region`. */
  aws: boolean;
  load(): Promise<Command>;
}

export const AWS_OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string' },
} as const satisfies Options;

const AWS_HELP: [string, string][] = [
  ['--profile P', 'the AWS profile (default: AWS_PROFILE, then "default"), as the AWS CLI takes it'],
  ['--region R', "the home region (default: AWS_REGION, then the profile's region in ~/.aws/config)"],
];

/** The flags of each command (without `--help`, which every command takes, and the AWS ones). */
export const OPTIONS = {
  validate: { file: { type: 'string', short: 'f' } },
  apply: {
    file: { type: 'string', short: 'f' },
    'prune-desired': { type: 'boolean' },
    // The account-wide brake's companion (issue 17): see lib/cli/pruneCheck.
    'confirm-prune': { type: 'boolean' },
  },
  plan: {
    bucket: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    // Summaries and filters by account (#18 point 6): lib/cli/accountFilter.ts.
    account: { type: 'string', multiple: true },
  },
  reconcile: {
    bucket: { type: 'string', multiple: true },
    'detect-only': { type: 'boolean' },
    json: { type: 'boolean' },
    account: { type: 'string', multiple: true },
  },
  import: { bucket: { type: 'string' }, output: { type: 'string', short: 'o' } },
  status: { json: { type: 'boolean' }, account: { type: 'string', multiple: true } },
  audit: {
    bucket: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    run: { type: 'string' },
    action: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    account: { type: 'string', multiple: true },
  },
  auditVerify: { bucket: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  auditAnchor: { json: { type: 'boolean' } },
  delivery: {
    bucket: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    now: { type: 'string' },
    account: { type: 'string', multiple: true },
  },
  serve: { port: { type: 'string' }, host: { type: 'string' }, 'env-file': { type: 'string' } },
  localStart: {
    port: { type: 'string' },
    'write-env': { type: 'string' },
    // Node 20 takes `--env-file` off any node command line (npx's included): kept for direct callers only.
    'env-file': { type: 'string' },
    'event-webhook': { type: 'string' },
  },
  completion: {},
  // The account-wide brake (issue 17).
  hold: { json: { type: 'boolean' } },
  holdRelease: { json: { type: 'boolean' } },
} as const satisfies Record<string, Options>;

const ACTIONS = Object.values(AuditAction).join(', ');

function spec(
  name: string,
  oneLine: string,
  help: CommandHelp,
  options: Options,
  aws: boolean,
  load: () => Promise<Command>,
): CommandSpec {
  return {
    name,
    oneLine,
    help: aws ? { ...help, options: [...help.options, ...AWS_HELP] } : help,
    options: aws ? { ...options, ...AWS_OPTIONS } : options,
    aws,
    load,
  };
}

/** Every command, in the order `s3ir --help` lists them. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  spec(
    'validate',
    'check a desired-state file',
    {
      usage: 'Usage: s3ir validate -f FILE',
      summary:
        'Checks a desired-state file without touching AWS; prints every error as file:line:col path: reason.\n' +
        "Two templates that give one Id to every bucket both match by name are an error; when the buckets' tags\n" +
        "decide, a warning (s3ir apply then checks the account's buckets).",
      options: [['-f, --file FILE', 'the desired-state file (YAML, or JSON when it ends in .json)']],
      exit: '0 valid, 1 invalid, 64 usage',
    },
    OPTIONS.validate,
    false,
    async () => (await import('./commands/validate.js')).validate,
  ),
  spec(
    'apply',
    'write a desired-state file to the table',
    {
      usage: 'Usage: s3ir apply -f FILE [--prune-desired] [--confirm-prune]',
      summary:
        'Writes a desired-state file to the desired-state table: nothing unless the whole file is valid, only the\n' +
        'buckets and templates it declares, and only items that differ from what the table holds. Nothing either\n' +
        "when two templates (the file's, or the table's that stay) would give one of the account's buckets the\n" +
        'same inventory Id.',
      options: [
        ['-f, --file FILE', 'the desired-state file (YAML, or JSON when it ends in .json)'],
        [
          '--prune-desired',
          'also delete the desired state of buckets and templates the file does not declare',
        ],
        [
          '--confirm-prune',
          'let prune delete configurations never declared (in AWS, not in the file nor the table) on more than one bucket at once',
        ],
      ],
      exit: '0 applied, 1 invalid (nothing written) or error, 64 usage',
    },
    OPTIONS.apply,
    true,
    async () => (await import('./commands/apply.js')).apply,
  ),
  spec(
    'plan',
    'show drift and the planned changes',
    {
      usage: 'Usage: s3ir plan [--bucket B]... [--account A]... [--json]',
      summary:
        'Shows drift and the changes a reconcile would make, as terraform plan does; changes nothing.\n' +
        'Without --bucket: every bucket with desired state, and every bucket a template selects. A bucket named\n' +
        'with --bucket that nothing declares is reported as not managed, with its actual configurations.\n' +
        'Ends with the buckets per account (in sync, drifted, failed) when they span accounts or --account is given.',
      options: [
        ['--bucket B', 'plan this bucket (repeatable)'],
        [
          '--account A',
          "only the buckets of this 12-digit account (repeatable): a bucket's declared account, else the home one",
        ],
        [
          '--json',
          'print { "version": 1, "plans": [...], "notManaged": [...], "errors": [...], "accounts": [{ account, buckets, counts }] }',
        ],
      ],
      exit: '0 in sync (every bucket managed and matching), 2 drift or a bucket not managed, 1 error, 64 usage',
    },
    OPTIONS.plan,
    true,
    async () => (await import('./commands/plan.js')).plan,
  ),
  spec(
    'reconcile',
    'converge now',
    {
      usage: 'Usage: s3ir reconcile [--bucket B]... [--account A]... [--detect-only] [--json]',
      summary:
        'Converges buckets now, as the service does (audit events, one run id cli-<timestamp>, you as the actor),\n' +
        "and records each bucket's status: drift, findings and failures that appear, change or clear are audit\n" +
        'events, and alerts on S3IR_ALERT_TOPIC_ARN when it is set. Eight buckets at a time, the output in the\n' +
        "buckets' order; a bucket that failed among them (e.g. a destination policy busy with another bucket of\n" +
        'the run) gets one more try alone, whose failure is final.\n' +
        'Without --bucket: every bucket with desired state, and every bucket a template selects.',
      options: [
        ['--bucket B', 'reconcile this bucket (repeatable)'],
        [
          '--account A',
          "only the buckets of this 12-digit account (repeatable): a bucket's declared account, else the home one",
        ],
        ['--detect-only', 'change nothing: only record drift'],
        ['--json', 'one { "version": 1, "bucket", "status", ... } object per bucket per line'],
      ],
      exit: '0 converged (or nothing to do), 1 failures, 64 usage',
    },
    OPTIONS.reconcile,
    true,
    async () => (await import('./commands/reconcile.js')).reconcile,
  ),
  spec(
    'import',
    "adopt a bucket's actual configurations as a desired-state file",
    {
      usage: 'Usage: s3ir import --bucket B [-o FILE]',
      summary:
        "Writes a bucket's actual inventory configurations as a desired-state file, so adopting them is\n" +
        '`s3ir import --bucket B -o B.yaml && s3ir apply -f B.yaml`.',
      options: [
        ['--bucket B', 'the bucket to import'],
        ['-o, --output FILE', 'write the file here (default: stdout)'],
      ],
      exit: '0 written, 1 error, 64 usage',
    },
    OPTIONS.import,
    true,
    async () => (await import('./commands/import.js')).importBucket,
  ),
  spec(
    'status',
    'drift status per bucket',
    {
      usage: 'Usage: s3ir status [--account A]... [--json]',
      summary:
        'Drift status of every bucket with desired state (and every bucket a template selects): in-sync,\n' +
        'drifted, action-required or failed, with counts, and since when (from the status the service keeps).\n' +
        'Computed by planning now; changes nothing. Ends with the counts per account when the buckets span\n' +
        'accounts or --account is given.',
      options: [
        [
          '--account A',
          "only the buckets of this 12-digit account (repeatable): a bucket's declared account, else the home one",
        ],
        [
          '--json',
          'print { "version": 1, "buckets": [...], "counts": {...}, "accounts": [{ account, buckets, counts }] }',
        ],
      ],
      exit: '0, 1 error, 64 usage',
    },
    OPTIONS.status,
    true,
    async () => (await import('./commands/status.js')).status,
  ),
  spec(
    'audit',
    'the history, newest first',
    {
      usage:
        'Usage: s3ir audit [--bucket B] [--account A]... [--since T] [--until T] [--run R] [--action A] [--limit N] [--json]\n' +
        '       s3ir audit verify [--bucket B]... [--json]   (check the hash chains; see s3ir audit verify --help)',
      summary:
        'The audit history, newest first. T is an ISO 8601 time (2026-01-31, 2026-01-31T12:00:00Z; UTC\n' +
        'when no zone is given) or a duration ago (30m, 12h, 7d).',
      options: [
        ['--bucket B', 'events of this bucket'],
        [
          '--account A',
          'events of the buckets the desired state places in this 12-digit account (repeatable; else the home one)',
        ],
        ['--since T', 'events at or after T'],
        ['--until T', 'events at or before T'],
        ['--run R', 'events of this run (e.g. cli-20260131T120000000Z)'],
        ['--action A', `events of this action: ${ACTIONS}`],
        ['--limit N', 'only the newest N events (1 to 1000)'],
        [
          '--json',
          'one event per line: { "version": 1, eventId, time, runId, bucket, configId?, action, actor, ..., seq, prevHash, hash }',
        ],
      ],
      exit: '0, 1 error, 64 usage',
    },
    OPTIONS.audit,
    true,
    async () => (await import('./commands/audit.js')).audit,
  ),
  spec(
    'audit verify',
    'check the audit hash chains',
    {
      usage: 'Usage: s3ir audit verify [--bucket B]... [--json]',
      summary:
        "Recomputes each bucket's audit hash chain: every event's hash, the link to the event before it, the\n" +
        'chain head, and the documents stored in parts. Names the first broken event of each chain. Events\n' +
        'that expired (S3IR_AUDIT_RETENTION_DAYS) may be missing; any other missing event is a break.\n' +
        'With a digest bucket (S3IR_DIGEST_BUCKET, S3IR_DIGEST_KEY_ID) it first checks every signed digest and\n' +
        'the digest chain, then each chain against its newest anchor, and names each break by its kind.',
      options: [
        ['--bucket B', "only this bucket's chain (repeatable); default: every chain"],
        [
          '--json',
          'print { "version": 1, "intact", "chains", "events", "breaks": [{ kind, bucket?, digestKey?, eventId?, seq?, time?, reason }], "anchors"? }',
        ],
      ],
      exit: '0 intact, 1 tampered or error, 64 usage',
    },
    OPTIONS.auditVerify,
    true,
    async () => (await import('./commands/auditVerify.js')).auditVerify,
  ),
  // Audit anchors (issue 16).
  spec(
    'audit anchor',
    'write a signed digest of the audit chain heads now',
    {
      usage: 'Usage: s3ir audit anchor [--json]',
      summary:
        'Writes the next digest to the digest bucket (S3IR_DIGEST_BUCKET, Object Lock in compliance mode): every\n' +
        "chain head that moved since the previous digest, the list of all chains and the previous digest's hash,\n" +
        'signed with the KMS key S3IR_DIGEST_KEY_ID. The service does this on a schedule and after each sweep;\n' +
        "this does it now. Prints the digest's key.",
      options: [['--json', 'print { "version": 1, key, sequence, heads, chains, bucket }']],
      exit: '0 written, 1 error (no digest bucket configured, AWS refused), 64 usage',
    },
    OPTIONS.auditAnchor,
    true,
    async () => (await import('./commands/auditAnchor.js')).auditAnchor,
  ),
  spec(
    'delivery',
    'check that inventory reports arrive',
    {
      usage: 'Usage: s3ir delivery [--bucket B]... [--account A]... [--json] [--now T]',
      summary:
        'Checks that inventory reports actually arrive: for every enabled desired configuration, the newest\n' +
        'complete report in its destination is verified (manifest checksum, source, destination, format, listed\n' +
        'files) and judged ok, pending (first report due within 48 h of a change), late, missing or invalid, with\n' +
        'the likely cause from the policies and keys the reconciler sees. Reads only.',
      options: [
        ['--bucket B', 'check this bucket (repeatable); default: every bucket with desired state'],
        [
          '--account A',
          "only the buckets of this 12-digit account (repeatable): a bucket's declared account, else the home one",
        ],
        ['--json', 'one { "version": 1, bucket, id, status, lastDelivery?, reason? } per line'],
        ['--now T', 'judge as if at time T (ISO 8601 or a duration ago, e.g. 3d): for what-ifs and tests'],
      ],
      exit: '0 all ok or pending, 2 otherwise, 1 error, 64 usage',
    },
    OPTIONS.delivery,
    true,
    async () => (await import('./commands/delivery.js')).delivery,
  ),
  // The account-wide brake (issue 17; lib/usecases/brake).
  spec(
    'hold',
    "show the account-wide hold and the brake's window",
    {
      usage:
        'Usage: s3ir hold [--json]\n' +
        '       s3ir hold release [--json]   (lift the hold; see s3ir hold release --help)',
      summary:
        'Every writer (sweeps, desired-state changes, change events, s3ir reconcile) counts its changes in one\n' +
        'account-wide sliding window (S3IR_BRAKE_WINDOW_MINUTES, default 60). A change that would pass\n' +
        'S3IR_MAX_CHANGES or S3IR_MAX_DELETES in it puts the service on hold: every bucket is then handled in\n' +
        'detect mode (drift recorded, nothing written) until a human runs s3ir hold release. Shows the hold\n' +
        '(since when, why, the counts when it started) and what the window holds now. Reads only.',
      options: [
        [
          '--json',
          'print { "version": 1, "hold": { since, reason, counts, requested, limits, bucket, runId, actor } | null, "window": { changes, deletes, windowMinutes, maxChanges?, maxDeletes? } }',
        ],
      ],
      exit: '0 (on hold or not), 1 error, 64 usage',
    },
    OPTIONS.hold,
    true,
    async () => (await import('./commands/hold.js')).hold,
  ),
  spec(
    'hold release',
    'lift the account-wide hold',
    {
      usage: 'Usage: s3ir hold release [--json]',
      summary:
        "Lifts the hold, resets the brake's window (else the next change would cross the same limits at once)\n" +
        'and records a hold-released audit event (in the #hold chain: s3ir audit --bucket "#hold") with you as\n' +
        'the actor (STS GetCallerIdentity). Check what changed first: s3ir audit --since 60m.',
      options: [['--json', 'print { "version": 1, "released": { since, reason, ... } | null, "actor" }']],
      exit: '0 released (or no hold in force), 1 error, 64 usage',
    },
    OPTIONS.holdRelease,
    true,
    async () => (await import('./commands/hold.js')).holdRelease,
  ),
  spec(
    'serve',
    'the audit viewer and its API on this machine',
    {
      usage: 'Usage: s3ir serve [--port N] [--host H] [--env-file PATH]',
      summary:
        'Serves the audit viewer at / and the audit API (GET /events, /status, /verify) on this machine,\n' +
        'reading the audit and state tables with your AWS credentials, until Ctrl-C.',
      options: [
        ['--port N', 'port to listen on (default 8080; 0 picks a free one)'],
        ['--host H', 'address to listen on (default 127.0.0.1)'],
        ['--env-file PATH', 'KEY=value lines over the environment, e.g. the file `s3ir local start` writes'],
      ],
      exit: '0 once stopped, 1 error, 64 usage',
    },
    OPTIONS.serve,
    true,
    async () => (await import('./commands/serve.js')).serve,
  ),
  spec(
    'local start',
    'run the local AWS in the foreground',
    {
      usage: 'Usage: s3ir local start [--port N] [--write-env PATH] [--event-webhook URL]',
      summary:
        'Starts the local AWS (DynamoDB Local, moto and the gateway on one port) in the foreground, creates the\n' +
        "service's tables, queue and topic, writes the env file once everything is ready (removing any file left\n" +
        'there first, so a stale one never looks ready), and stops everything on Ctrl-C or SIGTERM.',
      options: [
        ['--port N', 'gateway port (default 4566; 0 picks a free one)'],
        [
          '--write-env PATH',
          'write KEY=value lines for AWS_* and S3IR_* here once ready (alias: --env-file)',
        ],
        ['--event-webhook URL', 'POST every change event here (default: S3IR_LOCAL_EVENT_WEBHOOK)'],
      ],
      exit: '0 after Ctrl-C, 1 could not start, 64 usage',
    },
    OPTIONS.localStart,
    false,
    async () => (await import('./commands/localStart.js')).localStart,
  ),
  spec(
    'completion',
    'print a shell completion script',
    {
      usage: 'Usage: s3ir completion bash|zsh|fish',
      summary:
        'Prints a completion script for the shell. Load it with:\n' +
        '  bash: source <(s3ir completion bash)      (or save it to ~/.local/share/bash-completion/completions/s3ir)\n' +
        '  zsh:  source <(s3ir completion zsh)       (after compinit)\n' +
        '  fish: s3ir completion fish > ~/.config/fish/completions/s3ir.fish',
      options: [],
      exit: '0, 64 usage',
    },
    OPTIONS.completion,
    false,
    async () => (await import('./completion.js')).completion,
  ),
];

/**
 * The command `argv` names, and the arguments after its name: `audit verify --json` is `audit verify`,
 * `audit --json` is `audit`. Undefined for an unknown command.
 */
export function findCommand(argv: readonly string[]): { spec: CommandSpec; rest: string[] } | undefined {
  const two = `${argv[0]} ${argv[1]}`;
  const sub = COMMAND_SPECS.find((candidate) => candidate.name === two);
  if (sub) return { spec: sub, rest: argv.slice(2) };
  const one = COMMAND_SPECS.find((candidate) => candidate.name === argv[0]);
  return one ? { spec: one, rest: argv.slice(1) } : undefined;
}

/** The spec of a command by its name (`plan`, `audit verify`). */
export function commandSpec(name: string): CommandSpec {
  const found = COMMAND_SPECS.find((spec) => spec.name === name);
  if (!found) throw new Error(`no command spec named ${JSON.stringify(name)}`);
  return found;
}
