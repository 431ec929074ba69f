import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminDeps, runAdminCommand } from '../../bot/admin-commands.js';
import { ClientRepo, clientWording } from '../../bot/client/index.js';
import { BadRequestError } from '../../core/errors.js';
import { SystemClock } from '../../core/clock.js';
import { ConversationRepo, PeopleRepo, TaskRepo } from '../../store/index.js';
import { openStores } from '../../store/open-stores.js';
import { testConfig } from '../support/test-config.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/switchboard.js');

/** `switchboard …` run for real on the embedded database in DATA_DIR. */
function switchboard(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { DATABASE_URL: _d, REDIS_URL: _r, APPS: _a, APPS_FILE: _f, DATA_DIR: _dd, ...rest } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dataDir, env: { ...rest, NODE_NO_WARNINGS: '1', DATA_DIR: dataDir, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Reads the embedded database after the CLI has closed it. */
async function query<R extends Record<string, unknown>>(dataDir: string, sql: string): Promise<R[]> {
  const stores = await openStores(testConfig({ DATA_DIR: dataDir }), new SystemClock());
  try {
    return (await stores.db.query<R>(sql)).rows;
  } finally {
    await stores.close();
  }
}

let dataDir = '';
let handoffId = '';

beforeAll(async () => {
  // What a conversation leaves behind: Tom on WhatsApp asked for a person; Ana has a task about his shop.
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'sb-clients-cli-'));
  const clock = new SystemClock();
  const stores = await openStores(testConfig({ DATA_DIR: dataDir }), clock);
  try {
    const people = new PeopleRepo(stores.db, clock);
    const tom = await people.resolve('whatsapp', '447700900456', 'Tom Baker', 'client');
    const ana = await people.grant('telegram', '5550001', 'admin');
    const conversation = await new ConversationRepo(stores.db, clock).ensure('whatsapp', '447700900456');
    await stores.db.query(
      `INSERT INTO messages (id, conversation_id, direction, platform_message_id, person_id, kind, text, status, payload, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, 'in', 'wamid.1', $2, 'message', 'Can I talk to a person?', 'answered', '{}', now(), now())`,
      [conversation.id, tom.id],
    );
    handoffId = (await new ClientRepo(stores.db, clock).openHandoff(conversation.id, 'asked_for_person', '> Can I talk to a person?')).handoff.id;
    await new TaskRepo(stores.db, clock).create({ title: 'Send Tom the shop mock-ups', createdBy: ana.id, assigneeId: ana.id, dueAt: null, conversationId: null });
  } finally {
    await stores.close();
  }
}, 60_000);
afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('switchboard clients', () => {
  it('the admin commands list open hand-offs and show a task to a client, refusing what does not exist', { timeout: 60_000 }, async () => {
    const clock = new SystemClock();
    const config = testConfig({ DATA_DIR: dataDir });
    const stores = await openStores(config, clock);
    try {
      const deps = createAdminDeps(stores.db, clock, [], config.crm);
      expect(await runAdminCommand(deps, 'clients.handoffs', {})).toEqual([
        expect.objectContaining({ id: handoffId, reason: 'asked_for_person', client: 'Tom Baker on whatsapp' }),
      ]);
      expect(await runAdminCommand(deps, 'clients.task', { number: 1, app: 'tom-shop', visible: true })).toEqual({ number: 1, app: 'tom-shop', visible: true });
      await expect(runAdminCommand(deps, 'clients.task', { number: 99, app: 'tom-shop', visible: true })).rejects.toThrow('There is no task 99.');
      await expect(runAdminCommand(deps, 'clients.task', { number: 1, visible: true })).rejects.toThrow('Say which app');
      await expect(runAdminCommand(deps, 'clients.handback', { id: 'ffffffff' })).rejects.toBeInstanceOf(BadRequestError);
    } finally {
      await stores.close();
    }
  });

  it('`switchboard clients handback` gives the conversation back; the client is told on the next delivery pass', { timeout: 60_000 }, async () => {
    const back = await switchboard(dataDir, ['clients', 'handback', handoffId.slice(0, 8)]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toBe('the bot answers Tom Baker on whatsapp again\n');
    expect(await query(dataDir, `SELECT status FROM handoffs`)).toEqual([{ status: 'closed' }]);
    expect(await query(dataDir, `SELECT text, status FROM messages WHERE direction = 'out'`)).toEqual([{ text: clientWording.HANDED_BACK, status: 'pending' }]);
    expect(await query(dataDir, `SELECT number, app, client_visible FROM tasks`)).toEqual([{ number: 1, app: 'tom-shop', client_visible: true }]);
  });
});
