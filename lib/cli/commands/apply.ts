import { accountIssues, placeIssues } from '../../core/desired/accountIssues.js';
import { formatFileError } from '../../core/desired/formatFileError.js';
import { fileToItems } from '../../core/desired/tableItems.js';
import { withCliContext } from '../cliContext.js';
import { AWS_OPTIONS, commandSpec, OPTIONS } from '../commandSpecs.js';
import { describeItem, desiredItemChanges, type ItemChangeKind, itemsAfter } from '../desiredItemChanges.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand, requireFlag } from '../parseCommand.js';
import { pruneRefusal, undeclaredPrunes } from '../pruneCheck.js';
import { readDesiredFile } from '../readDesiredFile.js';
import { holdNote } from '../render/renderHold.js';
import { applyConflicts, conflictError } from '../templateConflicts.js';

/** Options of `s3ir apply`. */
export interface ApplyOptions {
  file: string;
  /** Delete the desired state of every bucket and template the file does not declare. */
  pruneDesired: boolean;
  /** Let a prune delete never-declared configurations on more than one bucket at once (lib/cli/pruneCheck). */
  confirmPrune: boolean;
}

const { help } = commandSpec('apply');

const SYMBOLS: Record<ItemChangeKind, string> = { add: '+', change: '~', remove: '-' };

/**
 * `s3ir apply -f FILE [--prune-desired] [--confirm-prune]` (DESIGN.md, Contract): checks everything first (the
 * file, then the templates the table would hold against the account's actual buckets and tags, then what a
 * prune would delete that was never declared), then writes the changed items
 * stamped with who applied them (the STS caller ARN, else `unverified:$USER`) and when, and prints them.
 */
export async function apply(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, { ...OPTIONS.apply, ...AWS_OPTIONS }, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const options: ApplyOptions = {
    file: requireFlag(values.file, '-f FILE', help.usage),
    pruneDesired: values['prune-desired'] ?? false,
    confirmPrune: values['confirm-prune'] ?? false,
  };
  const result = await readDesiredFile(options.file);
  if (!result.ok) {
    for (const error of result.errors) io.err(`${formatFileError(error)}\n`);
    io.err(`${options.file}: ${result.errors.length} error(s); nothing was written\n`);
    return 1;
  }
  for (const warning of result.warnings) io.err(`${formatFileError(warning)}\n`);
  const { file, locate } = result;
  return withCliContext(io, async ({ service, actor }) => {
    // Accounts outside S3IR_ALLOWED_ACCOUNTS (with the home account): refused before anything is written. The
    // home account costs an STS call, so it is asked only when the listed accounts alone refuse something.
    const listed = accountIssues(file, new Set(service.config.allowedAccounts ?? []));
    const issues = listed.length === 0 ? listed : accountIssues(file, await service.allowedAccounts());
    const outside = placeIssues(options.file, locate, issues);
    if (outside.length > 0) {
      for (const error of outside) io.err(`${formatFileError(error)}\n`);
      io.err(`${options.file}: ${outside.length} error(s); nothing was written\n`);
      return 1;
    }
    const [stored, appliedBy] = await Promise.all([service.desired.scanItems(), actor()]);
    const items = fileToItems(file, {
      fileName: options.file,
      appliedBy,
      appliedAt: new Date().toISOString(),
    });
    const changes = desiredItemChanges(items, stored, { pruneDesired: options.pruneDesired });
    const fileTemplates = new Set((file.templates ?? []).map((template) => template.name));
    const conflicts = await applyConflicts(
      stored,
      itemsAfter(stored, changes),
      fileTemplates,
      service.buckets,
    );
    const places = { fileName: options.file, file, locate, stored };
    for (const conflict of conflicts.standing)
      io.err(`${formatFileError(conflictError(conflict, places, 'warning'))}\n`);
    if (conflicts.refused.length > 0) {
      for (const conflict of conflicts.refused)
        io.err(`${formatFileError(conflictError(conflict, places))}\n`);
      io.err(`${options.file}: ${conflicts.refused.length} error(s); nothing was written\n`);
      return 1;
    }
    // A prune that would delete configurations nobody ever declared, on more than one bucket at once,
    // waits for --confirm-prune (issue 17: turning prune on for shared buckets must not be one step).
    if (!options.confirmPrune && changes.changes.length > 0) {
      const after = itemsAfter(stored, changes);
      const prunes = await undeclaredPrunes(service, Object.keys(file.buckets ?? {}), {
        before: stored,
        after,
      });
      if (prunes.length > 1) {
        io.err(pruneRefusal(options.file, prunes));
        return 1;
      }
    }
    if (changes.puts.length > 0) await service.desired.putItems(changes.puts as never);
    if (changes.deletes.length > 0) await service.desired.deleteItems(changes.deletes);
    for (const change of changes.changes) io.out(`${SYMBOLS[change.kind]} ${describeItem(change)}\n`);
    // apply writes desired state only, so a hold does not stop it; but nothing it declares reaches AWS until
    // the hold is lifted, which the operator should hear now rather than from the next drift alert.
    const hold = changes.changes.length > 0 ? await service.brakes.store.currentHold() : undefined;
    if (hold !== undefined) io.err(holdNote(hold));
    io.out(
      `${summary(
        changes.changes.map((change) => change.kind),
        changes.unchanged,
      )}\n`,
    );
    return 0;
  });
}

function summary(kinds: ItemChangeKind[], unchanged: number): string {
  if (kinds.length === 0)
    return `No changes: the table already holds this desired state (${unchanged} items).`;
  const count = (kind: ItemChangeKind) => kinds.filter((k) => k === kind).length;
  return `Applied: ${count('add')} added, ${count('change')} changed, ${count('remove')} removed, ${unchanged} unchanged.`;
}
