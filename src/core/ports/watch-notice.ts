import type { CheckInAnswer, CheckInStatus, WatchPlan } from './watch-vocabulary.js';

/** What staff record after a 見守り alert. */
export const WATCH_OUTCOMES = ['visited', 'phoned', 'hospital', 'ended'] as const;
export type WatchOutcome = (typeof WATCH_OUTCOMES)[number];

/** One line of a watch's history as staff see it: when, and what became of it; never words. */
export interface WatchHistoryLine {
  dueAt: string;
  status: CheckInStatus;
  answer?: CheckInAnswer | undefined;
}

/** What the case thread hears about the case's 見守り. */
export type WatchNote =
  | { kind: 'proposed'; staffId: string; plan: WatchPlan }
  | {
      kind:
        | 'agreed'
        | 'declined'
        | 'requested'
        | 'paused'
        | 'resumed'
        | 'time-changed'
        | 'stopped'
        | 'ended'
        | 'watcher-linked'
        | 'watcher-removed';
    }
  /** The resident tapped 少し心配なことがある / 話したい (their own words, if any, follow as a resident message). */
  | { kind: 'answer'; answer: Exclude<CheckInAnswer, 'fine'> }
  /** Missed check-ins in a row reached the plan's threshold: mention the window, show the history. */
  | { kind: 'alert'; missed: number; history: WatchHistoryLine[] }
  | { kind: 'outcome'; outcome: WatchOutcome; staffId: string };
