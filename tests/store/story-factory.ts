import type { Story } from '../../src/store/story.js';

/** A story with sensible defaults; tests override what they check. */
export function story(overrides: Partial<Story> & { id: string }): Story {
  return {
    feedId: 'feed-a',
    title: `Title of ${overrides.id}`,
    summary: '',
    url: `https://example.com/${encodeURIComponent(overrides.id)}`,
    published: '2025-10-28T09:00:00.000Z',
    author: null,
    lang: 'en',
    ...overrides,
  };
}
