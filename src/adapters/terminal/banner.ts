/** What a newcomer reads when the bot starts in their terminal: what to type, and how to reach a chat platform instead. */
export function terminalBanner(command: string, connectHints: readonly string[]): string[] {
  return [
    `dealbot is running in this terminal — no Slack or Discord tokens are set.`,
    `Try /${command} facts, /${command} reactions or /${command} help; "exit" quits.`,
    ...(connectHints.length
      ? [
          'To connect a chat platform, set its tokens (see .env.example) and restart:',
          ...connectHints.map((h) => `  ${h}`),
        ]
      : []),
    '',
  ];
}
