import { postSlashCommand, slashCommandBody } from '../../../helpers/slack-request.js';
import { SIGNING_SECRET, startSlackHarness } from '../../../helpers/slack-test-adapter.js';
import { controlCharsIn, visibleLines, type ContractDriver, type Delivery } from './contract-driver.js';

/**
 * Slack in HTTP mode: the real SlackAdapter and Bolt receiver on 127.0.0.1, its Web
 * API and the slash commands' response_urls on the fake Slack server. A command is
 * the fixture body Slack sends, signed; the answer is what reached its response_url.
 */

interface TextObject {
  type: string;
  text: string;
  verbatim?: boolean;
}
interface Block {
  type: string;
  text?: TextObject;
  elements?: TextObject[];
}

function textObjects(blocks: unknown): TextObject[] {
  return ((blocks ?? []) as Block[]).flatMap((b) => [...(b.text ? [b.text] : []), ...(b.elements ?? [])]);
}

/** Slack's form read back as a person sees it: `<url|label>` shows the label, *bold* and _italic_ lose their marks, entities are decoded. */
function decodeSlack(text: string): string {
  return text
    .replace(/<(?:https?|mailto):[^|>]*\|([^>]*)>/g, '$1')
    .replace(/(^|[\s(])([*_])(\S(?:[^\n]*?\S)?)\2(?=$|[\s.,:;!?)])/gm, '$1$3')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function delivery(body: Record<string, unknown>): Delivery {
  const visibility =
    body.response_type === 'ephemeral' ? 'private' : body.response_type === 'in_channel' ? 'channel' : undefined;
  return { payload: body, visibility, lines: visibleLines(textObjects(body.blocks).map((t) => decodeSlack(t.text))) };
}

/**
 * Live Slack markup in a payload: any `<…>` control sequence (mention, channel
 * ping, link) in the blocks or the fallback text, mrkdwn that Slack may auto-link
 * (not verbatim), and control characters.
 */
function liveMarkup(d: Delivery): string[] {
  const body = d.payload as Record<string, unknown>;
  const objects = textObjects(body.blocks);
  const texts = [String(body.text ?? ''), ...objects.map((t) => t.text)];
  return [
    ...texts.flatMap((t) => t.match(/<[^>]*>/g) ?? []),
    ...objects
      .filter((t) => t.type === 'mrkdwn' && t.verbatim !== true)
      .map((t) => `mrkdwn without verbatim: ${t.text.slice(0, 40)}`),
    ...(body.parse !== undefined && body.parse !== 'none' ? [`parse=${String(body.parse)}`] : []),
    ...(body.link_names !== undefined && body.link_names !== 'false' ? [`link_names=${String(body.link_names)}`] : []),
    ...texts.flatMap(controlCharsIn),
  ];
}

export const slackDriver: ContractDriver = {
  platform: 'slack',
  users: { admin: 'UADMIN01', member: 'U2147483697' },
  channel: 'C0CONTRACT',
  notApplicable: {},

  async start({ config, handler }) {
    const h = await startSlackHarness({ config, handler });
    let asked = 0;
    return {
      adapter: h.adapter,
      async ask(text, userId) {
        const id = `contract-${++asked}`;
        const body = slashCommandBody({
          command: `/${config.bot.command}`,
          text,
          user_id: userId,
          user_name: `user-${userId}`,
          response_url: h.fake.responseUrl(id),
        });
        const ack = await postSlashCommand(h.eventsUrl, body, { secret: SIGNING_SECRET });
        // An empty 200 ack: the answer follows through the response_url.
        if (ack.status !== 200 || ack.body !== '') throw new Error(`Slack ack was ${ack.status} ${ack.body}`);
        const answer = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === id)?.body);
        return delivery(answer);
      },
      async post(message, options) {
        const before = h.fake.callsTo('chat.postMessage').length;
        const receipt = await h.adapter.postToChannel(slackDriver.channel, message, options);
        const call = h.fake.callsTo('chat.postMessage')[before];
        if (!call) throw new Error('the adapter did not call chat.postMessage');
        // chat.postMessage always posts to the channel: the visibility is the channel's.
        return { receipt, delivery: { ...delivery(call.body), visibility: 'channel' } };
      },
      liveMarkup,
      stop: () => h.close(),
    };
  },
};
