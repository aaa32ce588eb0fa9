// The composer's UI state, persisted to localStorage so nothing typed is lost on reload: the selected
// source, one draft per source, the targets and the recent sends. Server data stays in react-query.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** `type:<event type>` for a catalog entry, `fixture:<profile>:<event type>` for a provider fixture. */
export type SourceKey = string;

export type ParsedSource = { kind: 'type'; type: string } | { kind: 'fixture'; profile: string; type: string };

export function parseSource(key: SourceKey): ParsedSource | null {
  if (key.startsWith('type:')) return { kind: 'type', type: key.slice(5) };
  const m = /^fixture:([^:]+):(.+)$/.exec(key);
  return m ? { kind: 'fixture', profile: m[1] as string, type: m[2] as string } : null;
}

export const typeSource = (type: string): SourceKey => `type:${type}`;
export const fixtureSource = (profile: string, type: string): SourceKey => `fixture:${profile}:${type}`;

export interface RecentSend {
  eventId: string;
  source: SourceKey;
  type: string;
  /** the data exactly as typed */
  text: string;
  sentAt: string;
  /** deliveries the event fanned out to */
  deliveryCount: number;
}

export interface ComposeState {
  /** what is being composed; null until the catalog loads and picks its first type */
  source: SourceKey | null;
  /** the edited text per source; a source without a draft starts from its template */
  drafts: Record<SourceKey, string>;
  /** every subscribed endpoint, or only the chosen ones */
  targetMode: 'subscribed' | 'chosen';
  chosenEndpointIds: string[];
  /** where "Send test" goes */
  testEndpointId: string | null;
  recent: RecentSend[];
  setSource(source: SourceKey): void;
  setDraft(source: SourceKey, text: string): void;
  /** forget the draft so the template loads again */
  resetDraft(source: SourceKey): void;
  setTargetMode(mode: 'subscribed' | 'chosen'): void;
  toggleEndpoint(id: string): void;
  setTestEndpoint(id: string | null): void;
  addRecent(send: RecentSend): void;
  clearRecent(): void;
}

const MAX_RECENT = 25;

export const useComposeStore = create<ComposeState>()(
  persist(
    (set) => ({
      source: null,
      drafts: {},
      targetMode: 'subscribed',
      chosenEndpointIds: [],
      testEndpointId: null,
      recent: [],
      setSource: (source) => set({ source }),
      setDraft: (source, text) => set((s) => ({ drafts: { ...s.drafts, [source]: text } })),
      resetDraft: (source) =>
        set((s) => {
          const { [source]: _dropped, ...drafts } = s.drafts;
          return { drafts };
        }),
      setTargetMode: (targetMode) => set({ targetMode }),
      toggleEndpoint: (id) =>
        set((s) => ({
          chosenEndpointIds: s.chosenEndpointIds.includes(id)
            ? s.chosenEndpointIds.filter((x) => x !== id)
            : [...s.chosenEndpointIds, id],
        })),
      setTestEndpoint: (testEndpointId) => set({ testEndpointId }),
      addRecent: (send) =>
        set((s) => ({ recent: [send, ...s.recent.filter((r) => r.eventId !== send.eventId)].slice(0, MAX_RECENT) })),
      clearRecent: () => set({ recent: [] }),
    }),
    {
      name: 'hookbench.compose',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ source, drafts, targetMode, chosenEndpointIds, testEndpointId, recent }) => ({
        source,
        drafts,
        targetMode,
        chosenEndpointIds,
        testEndpointId,
        recent,
      }),
    },
  ),
);
