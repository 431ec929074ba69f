import { describe, expect, it } from 'vitest';
import { greetingKind } from '../../intents/index.js';

describe('greetingKind: which small talk a greeting is', () => {
  it.each(['thanks', 'thank you!', 'Thanks a lot, that was quick', 'thx', 'ty', 'cheers mate', 'many thanks', 'nice one, thanks', 'much appreciated'])(
    '%j is thanks',
    (text) => expect(greetingKind(text)).toEqual({ thanks: true, bye: false }),
  );

  it.each(['bye', 'bye bye', 'see you later', 'good night', 'cya', 'talk soon', 'have a good weekend', 'have a nice evening'])('%j is bye', (text) =>
    expect(greetingKind(text)).toEqual({ thanks: false, bye: true }),
  );

  it.each(['ok thanks bye', 'thanks, see you tomorrow', 'cheers, goodbye', "cheers, that's all for today", 'thanks, that is all'])('%j is both', (text) =>
    expect(greetingKind(text)).toEqual({ thanks: true, bye: true }),
  );

  it.each(['hi', 'hello there', 'good morning team', 'hey, how is it going', 'hiya', "hi there, I'm Maria from Globex", 'today', 'tyre', 'byte'])(
    '%j is neither (a hello)',
    (text) => expect(greetingKind(text)).toEqual({ thanks: false, bye: false }),
  );
});
