// The knowledge.ask action: questions answered from the agency's documents (the knowledge base lives in knowledge/).
export { askKnowledgeAction, notInDocuments, AskKnowledgeParamsSchema, type AskKnowledgeParams } from './ask-knowledge.js';
