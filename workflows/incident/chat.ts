import { condition } from '@temporalio/workflow';
import { stepIdempotencyKey } from '../../core/model/capabilities/keys';
import { dueEntries, entryButtons, entryText, headerButtons, headerShows, headerText, passMissed } from '../../core/model/incident/chat';
import { IncidentStatus } from '../../core/model/incident-model';
import { chatPostMessage, chatUpdateMessage } from './activities';
import { failureMessage, type IncidentRun } from './incident-run';

/**
 * Keeps the incident's chat channel current once a runbook opened one: the header message
 * posted once and updated in place when status, severity or commander change; each timeline
 * entry that matters posted once, in order (keyed by its number, so a retry or replay never
 * posts twice). Chat is a courtesy: a message that keeps failing is passed over and said
 * on the timeline, never retried forever, and the incident never waits on it.
 */
export async function chatLoop(run: IncidentRun): Promise<void> {
  const { incident } = run;
  const closed = () => incident.status === IncidentStatus.Closed;
  const nextEntry = () => (incident.timelineStart ?? 0) + incident.timeline.length;
  const pending = () => {
    const chat = incident.chat;
    return chat !== undefined && (chat.headerTs === undefined || chat.headerShows !== headerShows(incident) || chat.postedThrough < nextEntry());
  };
  for (;;) {
    await condition(() => pending() || closed());
    if (!pending()) return;
    const chat = incident.chat!;
    if (chat.headerTs === undefined || chat.headerShows !== headerShows(incident)) await postHeader(run);
    passMissed(incident, chat);
    // Entries recorded while these are sent are the next pass's.
    const through = nextEntry();
    for (const { number, entry } of dueEntries(incident, chat)) {
      await send(run, `chat-entry-${number}`, () =>
        chatPostMessage({ idempotencyKey: stepIdempotencyKey(run.workflowId, `chat-entry-${number}`), channelId: chat.channelId, text: entryText(entry), buttons: entryButtons(entry) }),
      );
      chat.postedThrough = number + 1;
    }
    chat.postedThrough = Math.max(chat.postedThrough, through);
  }
}

async function postHeader(run: IncidentRun): Promise<void> {
  const { incident } = run;
  const chat = incident.chat!;
  const shows = headerShows(incident);
  const text = headerText(incident);
  const buttons = headerButtons(incident);
  if (chat.headerTs === undefined) {
    const posted = await send(run, 'chat-header', () =>
      chatPostMessage({ idempotencyKey: stepIdempotencyKey(run.workflowId, 'chat-header'), channelId: chat.channelId, text, buttons, pin: true }),
    );
    if (posted) chat.headerTs = posted.ts;
  } else {
    const headerTs = chat.headerTs;
    await send(run, 'chat-header-update', () =>
      chatUpdateMessage({ idempotencyKey: stepIdempotencyKey(run.workflowId, `chat-header-${shows}`), channelId: chat.channelId, ts: headerTs, text, buttons }),
    );
  }
  chat.headerShows = shows;
}

/** Runs one chat call; a failure (after the step's retries) goes on the timeline and is passed over. */
async function send<T>(run: IncidentRun, what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run.step(call);
  } catch (error) {
    run.record({ kind: 'notification', actor: 'firebreak', summary: `Chat channel not updated (${what}): ${failureMessage(error)}` });
    return undefined;
  }
}
