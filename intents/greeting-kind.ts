/**
 * Which kind of small talk a `greeting` message is, so the answer fits it: "thanks" is answered with
 * "you're welcome", "bye" with a goodbye, anything else with hello. Read from the words, because the
 * `greeting` intent covers all three (DESIGN's intent ids are a public contract; no new id is needed
 * for a choice of wording).
 */
export interface GreetingKind {
  thanks: boolean;
  bye: boolean;
}

const THANKS = /\b(?:thanks?|thank\s*(?:you|u)|thx|thnx|tnx|ty|tysm|cheers|ta|appreciated?|appreciate\s+it|much\s+obliged)\b/iu;
const BYE = /\b(?:bye|byee+|goodbye|good\s*night|night\s+night|see\s+(?:you|ya|u)|cya|later|talk\s+(?:soon|later)|ttyl|take\s+care|have\s+a\s+(?:good|nice|great)\s+(?:one|day|evening|night|weekend)|that(?:'|’)?s\s+all|that\s+is\s+all)\b/iu;

export function greetingKind(text: string): GreetingKind {
  return { thanks: THANKS.test(text), bye: BYE.test(text) };
}
