// UI-only state of the shell (which overlay is open). Server data never goes here: it lives in react-query.
import { create } from 'zustand';

export type Overlay = 'switcher' | 'help' | null;

interface ShellState {
  overlay: Overlay;
  open: (overlay: Exclude<Overlay, null>) => void;
  close: () => void;
}

export const useShell = create<ShellState>((set) => ({
  overlay: null,
  open: (overlay) => set({ overlay }),
  close: () => set({ overlay: null }),
}));
