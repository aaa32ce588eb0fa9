// UI state of the delivery log (filters); the rows themselves live in react-query.
import { create } from 'zustand';
import { type DeliveryFilters, emptyFilters } from './filters';

interface DeliveriesState {
  filters: DeliveryFilters;
  setFilters(patch: Partial<DeliveryFilters>): void;
  replaceFilters(filters: DeliveryFilters): void;
  clearFilters(): void;
}

export const useDeliveriesStore = create<DeliveriesState>((set) => ({
  filters: emptyFilters,
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  replaceFilters: (filters) => set({ filters }),
  clearFilters: () => set({ filters: emptyFilters }),
}));
