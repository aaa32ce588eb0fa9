// The preload runs sandboxed, so it is bundled into one CommonJS file that requires nothing but `electron`.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('hookbench', createBridge(ipcRenderer));
