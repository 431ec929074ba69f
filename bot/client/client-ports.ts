/**
 * What client conversations need from the CRM and the knowledge base, as the client desk sees them. The
 * composition root (bot/create-bot.ts) adapts the real services (tools/crm, knowledge/) to these, so the
 * desk has one call to each and nothing else of theirs.
 */

/** A client's own details, as they left them in the conversation. */
export interface LeadDetails {
  name: string;
  company?: string;
  email?: string;
  /** The number they write from (WhatsApp), in E.164: it identifies them, so it is the contact's phone. */
  phone?: string;
  /** What they need, in their words. */
  need?: string;
  /** The conversation the lead came from, attached to the contact. */
  conversationId: string;
  /** Who wrote, on which channel: the same identity later is the same contact. */
  identity: { channel: string; externalId: string; personId: string };
}

export interface CapturedLead {
  contactId: string;
  /** False when the same person (same phone or e-mail) was already known: the lead joined them. */
  created: boolean;
}

/** Finds or creates the contact by phone or e-mail, records the lead with the conversation attached. */
export interface LeadBook {
  captureLead(details: LeadDetails): Promise<CapturedLead>;
}

/**
 * The company a client belongs to, as the team recorded it (a contact found by the number they write
 * from), never as the client claims it in a message: their project status follows this answer only.
 */
export interface ClientDirectory {
  companyOf(phone: string): Promise<string | undefined>;
}

export interface KnowledgeAnswer {
  text: string;
  sources: string[];
  answered: boolean;
  offerPerson: boolean;
}

export interface KnowledgeAnswers {
  answer(query: string): Promise<KnowledgeAnswer>;
}
