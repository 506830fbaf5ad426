import type { Translator } from '../ports/translator.js';
import type { WatchConversation } from '../watch/watch-conversation.js';
import type { DataRequests } from './data-requests.js';
import type { FlowAction } from './flow-schema.js';
import type { Turn } from './turn.js';

/** The built-in actions a flow step or option can run. */
export class FlowActions {
  constructor(
    private readonly translator: Translator,
    private readonly data: DataRequests,
    private readonly watch?: WatchConversation,
  ) {}

  async run(turn: Turn, action: FlowAction, value?: string): Promise<void> {
    switch (action) {
      case 'set-language':
        if (value && this.translator.languages.includes(value)) turn.setLanguage(value);
        return;
      case 'stop':
        turn.state.position = undefined;
        turn.say('common.stopped');
        return;
      case 'describe-data':
        return this.data.describe(turn);
      case 'erase-data':
        return this.data.erase(turn);
      case 'warn-open-case':
        return this.data.warnIfCaseOpen(turn);
      case 'watch-menu':
        if (this.watch) return this.watch.menu(turn);
        turn.say('watch.menu.unavailable');
        return;
    }
  }
}
