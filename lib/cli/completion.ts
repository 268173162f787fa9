import { COMMAND_SPECS, type CommandSpec } from './commandSpecs.js';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';

/** Flags whose value is a path: the shells complete file names there. */
const PATH_FLAGS = new Set(['--file', '-f', '--output', '-o', '--write-env', '--env-file']);

/** Every flag of a command, long and short, `--help` included. */
function flagsOf(spec: CommandSpec): string[] {
  const flags = Object.entries(spec.options).flatMap(([name, option]) => [
    `--${name}`,
    ...(option.short ? [`-${option.short}`] : []),
  ]);
  return [...flags, '--help'];
}

/** What may follow `s3ir`: each command's first word, once. */
function firstWords(): string[] {
  return [...new Set(COMMAND_SPECS.map((spec) => spec.name.split(' ')[0]!)), 'help'];
}

/** The words after `s3ir WORD`: the command's flags and its subcommands' second words. */
function wordsAfter(first: string): string[] {
  const own = COMMAND_SPECS.find((spec) => spec.name === first);
  const subs = COMMAND_SPECS.filter((spec) => spec.name.startsWith(`${first} `)).map(
    (spec) => spec.name.split(' ')[1]!,
  );
  if (first === 'completion') return ['bash', 'zsh', 'fish'];
  return [...subs, ...(own ? flagsOf(own) : [])];
}

function bash(): string {
  const cases = [
    ...COMMAND_SPECS.filter((spec) => spec.name.includes(' ')).map(
      (spec) => `    "${spec.name}") words="${flagsOf(spec).join(' ')}" ;;`,
    ),
  ];
  const firstCases = firstWords().map((first) =>
    first === 'help'
      ? `    help) words="${firstWords().join(' ')}" ;;`
      : `    ${first}) words="${wordsAfter(first).join(' ')}" ;;`,
  );
  return `# s3ir completion for bash: source <(s3ir completion bash)
_s3ir() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" words=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${firstWords().join(' ')} --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
    ${[...PATH_FLAGS].join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  case "\${COMP_WORDS[1]} \${COMP_WORDS[2]}" in
${cases.join('\n')}
    *)
      case "\${COMP_WORDS[1]}" in
${firstCases.map((line) => `    ${line}`).join('\n')}
      esac ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _s3ir s3ir
`;
}

function zsh(): string {
  return `#compdef s3ir
# s3ir completion for zsh: source <(s3ir completion zsh) (after compinit). zsh runs the bash completion.
autoload -U +X bashcompinit && bashcompinit
${bash().replace(/^# .*\n/, '')}`;
}

function fish(): string {
  const lines = ['# s3ir completion for fish: s3ir completion fish > ~/.config/fish/completions/s3ir.fish'];
  lines.push('complete -c s3ir -f');
  const firsts = firstWords();
  for (const first of firsts) {
    const spec = COMMAND_SPECS.find((candidate) => candidate.name.split(' ')[0] === first);
    const description = spec?.oneLine ?? 'the options of a command';
    lines.push(
      `complete -c s3ir -n "not __fish_seen_subcommand_from ${firsts.join(' ')}" -a ${first} -d ${JSON.stringify(description)}`,
    );
  }
  for (const spec of COMMAND_SPECS) {
    const [first, second] = spec.name.split(' ');
    const condition = second
      ? `__fish_seen_subcommand_from ${first}; and __fish_seen_subcommand_from ${second}`
      : `__fish_seen_subcommand_from ${first}`;
    if (second) {
      lines.push(
        `complete -c s3ir -n "__fish_seen_subcommand_from ${first}; and not __fish_seen_subcommand_from ${second}" -a ${second} -d ${JSON.stringify(spec.oneLine)}`,
      );
    }
    if (spec.name === 'completion') lines.push(`complete -c s3ir -n "${condition}" -a "bash zsh fish"`);
    for (const [name, option] of Object.entries(spec.options)) {
      const path = PATH_FLAGS.has(`--${name}`);
      const value = option.type === 'string' ? (path ? ' -r -F' : ' -r') : '';
      const short = option.short ? ` -s ${option.short}` : '';
      lines.push(`complete -c s3ir -n "${condition}" -l ${name}${short}${value}`);
    }
  }
  lines.push(`complete -c s3ir -n "__fish_seen_subcommand_from help" -a "${firsts.join(' ')}"`);
  return `${lines.join('\n')}\n`;
}

const SCRIPTS = { bash, zsh, fish } as const;

/** `s3ir completion bash|zsh|fish`: the shell's completion script, made from the commands' specs. */
export async function completion(argv: string[], io: CliIo): Promise<number> {
  const shell = argv[0];
  if (argv.length !== 1 || !(shell !== undefined && shell in SCRIPTS)) {
    throw new UsageError(`expected one of bash, zsh, fish.\nUsage: s3ir completion bash|zsh|fish`);
  }
  io.out(SCRIPTS[shell as keyof typeof SCRIPTS]());
  return 0;
}
