// The engine's topic bus: listeners in subscription order, per topic and for any topic; a throwing listener is logged
// and skipped; unsubscribing (even during an emit) and subscribing the same function twice behave as a set would.
import { describe, expect, it } from 'vitest';
import { TopicBus } from '../../src/main/engine/bus';
import type { Logger } from '../../src/main/engine/types';

function recordingLog() {
  const warnings: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
  const log: Logger = { debug() {}, info() {}, warn: (msg, fields) => warnings.push({ msg, fields }), error() {} };
  return { log, warnings };
}

describe('TopicBus', () => {
  it('calls a topic’s listeners in order, then the any-topic listeners, and stops calling one unsubscribed', () => {
    const bus = new TopicBus(recordingLog().log);
    const calls: string[] = [];
    const offA = bus.on('endpoint.updated', (p) => calls.push(`a:${p.id}`));
    bus.on('endpoint.updated', (p) => calls.push(`b:${p.id}`));
    bus.on('event.created', (p) => calls.push(`other:${p.id}`));
    const offAny = bus.onAny((topic) => calls.push(`any:${topic}`));
    bus.emit('endpoint.updated', { id: 'e1' });
    expect(calls).toEqual(['a:e1', 'b:e1', 'any:endpoint.updated']);
    offA();
    offAny();
    calls.length = 0;
    bus.emit('endpoint.updated', { id: 'e2' });
    expect(calls).toEqual(['b:e2']);
  });

  it('logs a throwing listener with its topic and still calls the others', () => {
    const { log, warnings } = recordingLog();
    const bus = new TopicBus(log);
    const calls: string[] = [];
    bus.on('endpoint.updated', () => {
      throw new Error('boom');
    });
    bus.on('endpoint.updated', (p) => calls.push(p.id));
    bus.onAny(() => {
      throw new Error('any boom');
    });
    expect(() => bus.emit('endpoint.updated', { id: 'e1' })).not.toThrow();
    expect(calls).toEqual(['e1']);
    expect(warnings.map((w) => w.fields)).toEqual([
      { topic: 'endpoint.updated', error: 'Error: boom' },
      { topic: 'endpoint.updated', error: 'Error: any boom' },
    ]);
  });

  it('keeps one subscription per function, and an emit calls the listeners it started with', () => {
    const bus = new TopicBus(recordingLog().log);
    const calls: string[] = [];
    const twice = (p: { id: string }) => calls.push(`twice:${p.id}`);
    bus.on('endpoint.updated', twice);
    const off = bus.on('endpoint.updated', twice);
    let offLater: () => void = () => {};
    bus.on('endpoint.updated', (p) => {
      calls.push(`first:${p.id}`);
      offLater(); // unsubscribing mid-emit: this emit still reaches it, the next does not
      bus.on('endpoint.updated', (q) => calls.push(`added:${q.id}`));
    });
    offLater = bus.on('endpoint.updated', (p) => calls.push(`later:${p.id}`));
    bus.emit('endpoint.updated', { id: 'e1' });
    expect(calls).toEqual(['twice:e1', 'first:e1', 'later:e1']);
    off();
    calls.length = 0;
    bus.emit('endpoint.updated', { id: 'e2' });
    expect(calls).toEqual(['first:e2', 'added:e2']);
  });
});
