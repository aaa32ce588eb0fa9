import { installShortcuts, registerShortcut } from '@renderer/app/shortcuts';
import { fireEvent } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

const offs: Array<() => void> = [];
afterEach(() => {
  while (offs.length) offs.pop()?.();
});

describe('shortcut registry', () => {
  it('mod+enter reaches the registry even when the focused editor handles the key itself', () => {
    offs.push(installShortcuts());
    const sent: string[] = [];
    offs.push(
      registerShortcut('mod+enter', () => {
        sent.push('send');
        return true;
      }),
    );
    const editor = document.createElement('div');
    editor.contentEditable = 'true';
    // an editor keymap (CodeMirror binds Mod-Enter) prevents the default and stops propagation
    editor.addEventListener('keydown', (e) => {
      e.preventDefault();
      e.stopPropagation();
    });
    document.body.appendChild(editor);
    fireEvent.keyDown(editor, { key: 'Enter', ctrlKey: true });
    fireEvent.keyDown(editor, { key: 'Enter', metaKey: true });
    editor.remove();
    expect(sent).toEqual(['send', 'send']);
  });

  it('the most recently registered handler wins, and returning false passes the key on', () => {
    offs.push(installShortcuts());
    const calls: string[] = [];
    offs.push(
      registerShortcut('escape', () => {
        calls.push('page');
        return true;
      }),
    );
    const offModal = registerShortcut('escape', () => {
      calls.push('modal');
      return true;
    });
    fireEvent.keyDown(document.body, { key: 'Escape' });
    offModal();
    offs.push(
      registerShortcut('escape', () => {
        calls.push('passes');
        return false;
      }),
    );
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(calls).toEqual(['modal', 'passes', 'page']);
  });

  it('Escape handled by a focused widget does not also close the panel', () => {
    offs.push(installShortcuts());
    const calls: string[] = [];
    offs.push(
      registerShortcut('escape', () => {
        calls.push('panel');
        return true;
      }),
    );
    const input = document.createElement('input');
    input.addEventListener('keydown', (e) => e.preventDefault());
    document.body.appendChild(input);
    fireEvent.keyDown(input, { key: 'Escape' });
    input.remove();
    expect(calls).toEqual([]);
  });
});
