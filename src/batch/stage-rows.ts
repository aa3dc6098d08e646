// Pass 1 of the batch: streams the input, validates and resolves every row, checks duplicates, glyphs and
// page fit, and stages the good rows (bad ones go to rejects), deciding the rows in input order. Runs in a thread of
// its own for a large input (stage-worker: the knowledge base, the full fonts and the reader's memory go when it ends),
// else in the batch's thread, whose letter workers may take the trial layouts (LetterTrials).

import { loadKnowledgeBase } from '../catalog/load';
import { loadIndustryOverrides } from '../catalog/overrides';
import { probeDocNumber, type RegionConfig } from '../config/region';
import { fieldError, type RowError } from '../input/employer';
import { readEmployers, type ReadItem } from '../input/read-employers';
import type { LetterSetOptions } from '../letter/model';
import type { LetterTemplate } from '../letter/template';
import type { FontRoleName, FontSet, PrintedChars } from '../render/layout/fonts';
import { tryLetter, type TrialOutcome } from '../render/render-letter';
import { withoutSeal, type FollowUp, type LetterData } from '../resolve/letter-data';
import { resolveRecord } from '../resolve/resolve-record';
import { employerKey } from '../register/employer-key';
import type { RejectsWriter } from './manifest';
import type { LetterDataWithoutSeal, WorkerJob, WorkerResult } from './jobs';
import type { StagingStore } from './staging';

/** What pass 1 reads: the input and how, and the letters' date. */
export interface StageInput {
  input: string;
  sheet?: string;
  columnsFile?: string;
  date: string;
  /** The pages made after each letter (their text is checked and their characters kept in the cut fonts too). */
  letterSet?: LetterSetOptions;
  /** A follow-up batch: per input row (its row number, as in rejects.csv), what its reminder letter prints in addition. */
  followUps?: Record<number, FollowUp>;
}

/** Adds the code points of `text` to `set`. */
function addCodePoints(text: string, set: Set<number>): void {
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    set.add(cp);
  }
}

interface Pass1Result {
  rowsRead: number;
  rowsRejected: number;
  /** What the staged letters print, per font role: the faces are cut down to these for pass 2. */
  chars: PrintedChars;
}

/**
 * Tries letters before any number is issued for them (tryLetter): `submit` takes a probe as soon as its row is read
 * and returns its outcome's getter, called when the row's turn comes (in input order, after its duplicate check).
 */
export interface LetterTrials {
  submit(probe: LetterData): () => Promise<TrialOutcome>;
  /** Rows read ahead of the one whose turn it is (0: each row is done before the next is read). */
  readonly ahead: number;
}

/** Trials in this thread, each when its row's turn comes (a duplicate is never tried). */
export function trialsHere(template: LetterTemplate, fonts: FontSet, letterSet?: LetterSetOptions): LetterTrials {
  return { ahead: 0, submit: (probe) => () => Promise.resolve(tryLetter(template, probe, fonts, letterSet)) };
}

/** Rows in a trial job handed to the workers, and rows read ahead of the row whose turn it is (see LetterTrials). */
const TRIAL_JOB_ROWS = 16;
const TRIALS_AHEAD = 256;

/** Trials as jobs for `run` (the letter workers and the batch's thread), TRIAL_JOB_ROWS at a time. */
export function pooledTrials(run: (job: WorkerJob) => Promise<WorkerResult>): LetterTrials {
  type Chunk = { items: LetterDataWithoutSeal[]; outcomes?: Promise<TrialOutcome[]> };
  let open: Chunk = { items: [] };
  /** Hands the chunk out (once): later rows go into a new one. */
  const send = (chunk: Chunk) => {
    if (chunk === open) open = { items: [] };
    if (!chunk.outcomes) {
      chunk.outcomes = run({ kind: 'trial', items: chunk.items }).then((r) => r.trials!);
      // A failed job fails pass 1 at the first row awaiting it; the batch stops there, so later ones are never awaited.
      chunk.outcomes.catch(() => undefined);
    }
    return chunk.outcomes;
  };
  return {
    ahead: TRIALS_AHEAD,
    submit(probe) {
      const mine = open;
      const i = mine.items.push(withoutSeal(probe)) - 1;
      if (mine.items.length === TRIAL_JOB_ROWS) send(mine);
      // A row whose turn comes before its chunk is full (the input's last rows, or rows after it that all failed
      // before their trial): the chunk goes as it is.
      return () => send(mine).then((outcomes) => outcomes[i]);
    },
  };
}

/**
 * Pass 1: read, resolve, check duplicates and glyphs; good rows to the store, bad ones to rejects, in input order.
 * `onStaged` is told the number of rows staged so far after each one.
 */
export async function stageRows(
  opts: StageInput,
  ctx: { template: LetterTemplate; region: RegionConfig; fonts: FontSet },
  store: StagingStore,
  rejects: RejectsWriter,
  onStaged?: (staged: number) => void,
  trials: LetterTrials = trialsHere(ctx.template, ctx.fonts, opts.letterSet),
): Promise<Pass1Result> {
  const kb = loadKnowledgeBase();
  const overrides = ctx.region.industryOverrides ? loadIndustryOverrides(ctx.region.industryOverrides, kb) : undefined;
  const resolveContext = { kb, region: ctx.region, date: opts.date, maxHazards: ctx.template.maxHazards, overrides };
  // Code points the accepted letters print, per role: the faces are cut down to these for pass 2.
  const printed: Record<FontRoleName, Set<number>> = { title: new Set(), body: new Set() };
  let rowsRead = 0;
  let rowsRejected = 0;
  let staged = 0;
  const reject = (errors: RowError[]) => {
    if (rejects.add(errors)) rowsRejected++;
  };
  const year = Number(opts.date.slice(0, 4));
  // Per 机关代字: the number letters are built with here, one holding every digit.
  const probeNumbers = new Map(
    ctx.region.counties.map((c) => [c.numberPrefix, probeDocNumber(ctx.region.numbering, c.numberPrefix, year)]),
  );

  /** What becomes of a row read, done when its turn comes (rows are decided in input order). */
  const decide = (item: ReadItem): (() => Promise<void> | void) => {
    if (item.kind === 'error') {
      return () => {
        if (rejects.add([item.error])) {
          rowsRead++;
          rowsRejected++;
        }
      };
    }
    const record = item.record;
    const resolved = resolveRecord(record, resolveContext);
    if (!resolved.ok) {
      return () => {
        rowsRead++;
        reject(resolved.errors);
      };
    }
    const data = withoutSeal(resolved.data);
    const followUp = opts.followUps?.[record.source.row];
    if (followUp) data.followUp = followUp;
    // Lay the letter out (with a number holding every digit) to find template, glyph and page-fit
    // (E_LAYOUT_OVERFLOW) problems before any number is issued for it.
    // Not { ...data, docNumber }: V8 takes a slow path for a spread plus a new property.
    // With the bureau's seal, as the letter will be made (the seal takes room before the 署名 and beside the QR codes).
    const trial = trials.submit(
      Object.assign({}, data, { bureau: resolved.data.bureau, docNumber: probeNumbers.get(data.bureau.numberPrefix) }),
    );
    return async () => {
      rowsRead++;
      const countyCode = data.bureau.countyCode;
      const nameKey = employerKey(countyCode, data.employer.name);
      const key = employerKey(countyCode, data.employer.name, data.employer.uscc);
      if (data.employer.uscc) {
        const first = store.firstRowWith(key);
        if (first !== undefined) {
          reject([
            fieldError(
              record,
              'uscc',
              'E_DUPLICATE_USCC',
              data.employer.uscc,
              `与第 ${first} 行的统一社会信用代码重复，同一单位只生成一份告知单`,
            ),
          ]);
          return;
        }
      }
      const firstByName = store.firstRowWith(nameKey);
      if (firstByName !== undefined) {
        reject([
          fieldError(
            record,
            'name',
            'E_DUPLICATE_NAME',
            data.employer.name,
            `与第 ${firstByName} 行同一区县（${data.bureau.countyName}）的单位名称重复，同一单位只生成一份告知单`,
          ),
        ]);
        return;
      }
      const outcome = await trial();
      if (!outcome.ok) {
        reject(
          outcome.errors.map((e) => ({
            code: e.code,
            source: record.source,
            value: e.char,
            message: `${record.source.file} 第 ${record.source.row} 行：${e.message}`,
          })),
        );
        return;
      }
      for (const role of ['title', 'body'] as const) addCodePoints(outcome.text[role], printed[role]);
      store.add(data, key, data.employer.uscc ? [key, nameKey] : [nameKey]);
      onStaged?.(++staged);
    };
  };

  const turns: (() => Promise<void> | void)[] = [];
  for await (const item of readEmployers(opts.input, { sheet: opts.sheet, columnsFile: opts.columnsFile })) {
    turns.push(decide(item));
    while (turns.length > trials.ahead) await turns.shift()!();
  }
  while (turns.length > 0) await turns.shift()!();
  store.finishWriting();
  const chars = (role: FontRoleName) => Array.from(printed[role], (cp) => String.fromCodePoint(cp));
  return { rowsRead, rowsRejected, chars: { title: chars('title'), body: chars('body') } };
}
