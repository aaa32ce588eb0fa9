// UI state of the endpoints pages (never server data): the list's text filter survives navigation.
import { create } from 'zustand';

interface EndpointsUi {
  /** text filter over URL, description and event types */
  filter: string;
  setFilter: (filter: string) => void;
}

export const useEndpointsUi = create<EndpointsUi>((set) => ({
  filter: '',
  setFilter: (filter) => set({ filter }),
}));
