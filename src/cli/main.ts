// The hazard-notice command line: a commander program with Chinese help and messages, exit codes by outcome.

import fs from 'node:fs';
import { Command, CommanderError, Help, type Option } from 'commander';
import { HazardNoticeError } from '../errors';
import { fileSystemError } from '../output-files/fs-error';
import { bundledPath } from '../package-root';

/**
 * The commands in help order, each module required only when needed: a run loads the one it names (a look-up
 * never loads the writers, a letter never the batch), help and unknown commands load all.
 */
const COMMANDS: [string, () => { register(program: Command): void }][] = [
  ['industry', () => require('./commands/industry') as typeof import('./commands/industry')],
  ['hazard', () => require('./commands/hazard') as typeof import('./commands/hazard')],
  ['catalog', () => require('./commands/catalog') as typeof import('./commands/catalog')],
  ['letter', () => require('./commands/letter') as typeof import('./commands/letter')],
  ['batch', () => require('./commands/batch') as typeof import('./commands/batch')],
  ['register', () => require('./commands/register') as typeof import('./commands/register')],
  ['campaign', () => require('./commands/campaign') as typeof import('./commands/campaign')],
  ['serve', () => require('./commands/serve') as typeof import('./commands/serve')],
  ['users', () => require('./commands/users') as typeof import('./commands/users')],
];

/** Exit codes: 0 ok, 2 usage or configuration error, 3 not found / ambiguous, 4 data check failed. */
const EXIT = { ok: 0, usage: 2, notFound: 3, dataInvalid: 4 } as const;

const NOT_FOUND_CODES = new Set([
  'E_INDUSTRY_UNKNOWN',
  'E_INDUSTRY_AMBIGUOUS',
  'E_HAZARD_UNKNOWN',
  'E_HAZARD_AMBIGUOUS',
  'E_COUNTY_UNKNOWN',
]);
const DATA_CODES = new Set(['E_DATA_INVALID', 'E_CHECK_FAILED']);

function exitCodeFor(error: HazardNoticeError): number {
  if (NOT_FOUND_CODES.has(error.code)) return EXIT.notFound;
  if (DATA_CODES.has(error.code)) return EXIT.dataInvalid;
  return EXIT.usage;
}

const HELP_TITLES: Record<string, string> = {
  'Usage:': '用法：',
  'Arguments:': '参数：',
  'Options:': '选项：',
  'Global Options:': '全局选项：',
  'Commands:': '命令：',
};

const chineseUsage = (text: string) => text.replace('[options]', '[选项]').replace('[command]', '[命令]');

function chineseHelp(): Partial<Help> {
  return {
    styleTitle: (title: string) => HELP_TITLES[title] ?? title,
    commandUsage(this: Help, cmd: Command) {
      return chineseUsage(Help.prototype.commandUsage.call(this, cmd));
    },
    subcommandTerm(this: Help, cmd: Command) {
      return chineseUsage(Help.prototype.subcommandTerm.call(this, cmd));
    },
    optionDescription(option: Option) {
      const shown = option.defaultValueDescription ?? (option.defaultValue === undefined ? undefined : String(option.defaultValue));
      return shown === undefined || option.negate ? option.description : `${option.description}（默认：${shown}）`;
    },
  };
}

/** Commander's own errors in Chinese (the quoted token is taken from its English message). */
function usageMessage(error: CommanderError): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'commander.unknownOption':
      return `不认识的选项 ${quoted}`;
    case 'commander.unknownCommand':
      return `不认识的命令 ${quoted}`;
    case 'commander.missingArgument':
      return `缺少参数 ${quoted}`;
    case 'commander.optionMissingArgument':
      return `选项 ${quoted} 缺少取值`;
    case 'commander.missingMandatoryOptionValue':
      return `缺少必填选项 ${quoted}`;
    case 'commander.excessArguments':
      return '参数过多';
    case 'commander.invalidArgument':
      return `${quoted} 的取值无效：${error.message.replace(/^.*? is invalid\.\s*/, '')}`;
    case 'commander.conflictingOption':
      return `选项冲突：${quoted}`;
    default:
      return `命令行参数有误：${error.message.replace(/^error: /, '')}`;
  }
}

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(bundledPath('package.json'), 'utf8')) as { version: string }).version;
}

/** The program with every command, or only `command` when that names one. */
export function buildProgram(command?: string): Command {
  const program = new Command('hazard-notice')
    .description('职业病危害项目申报告知单生成器：查询行业、危害因素与职业病目录，生成告知单（单份或批量）')
    .version(packageVersion(), '-V, --version', '显示版本号')
    .helpOption('-h, --help', '显示帮助')
    .helpCommand(false)
    .configureHelp(chineseHelp())
    .configureOutput({ outputError: () => undefined })
    .exitOverride()
    .showSuggestionAfterError(false)
    .addHelpText(
      'after',
      '\n退出码：0 成功；2 参数、配置或日期错误；3 未找到或有歧义；4 数据检查未通过。运行 hazard-notice <命令> --help 查看各命令的用法。\n',
    );
  const named = COMMANDS.filter(([name]) => name === command);
  for (const [, load] of named.length > 0 ? named : COMMANDS) load().register(program);
  return program;
}

/** Runs the command line (argv as in process.argv: node, script, then arguments); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(argv[2]);
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'node' });
    return Number(process.exitCode ?? EXIT.ok);
  } catch (thrown) {
    const error = fileSystemError(thrown) ?? thrown; // a full disk, a read-only or missing folder: never a stack trace
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.help') return EXIT.usage; // a command group called without its subcommand
      process.stderr.write(`错误：${usageMessage(error)}。运行 hazard-notice --help 查看用法。\n`);
      return EXIT.usage;
    }
    if (error instanceof HazardNoticeError) {
      process.stderr.write(`错误（${error.code}）：${error.message}\n`);
      return exitCodeFor(error);
    }
    throw error;
  } finally {
    process.exitCode = undefined;
  }
}
