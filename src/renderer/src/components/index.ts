export { ConfirmDialog, type ConfirmDialogProps } from './confirm-dialog';
export { CopyButton, type CopyButtonProps, copyText } from './copy-button';
export { Duration } from './duration';
export { EmptyState, type EmptyStateProps } from './empty-state';
export {
  ErrorText,
  type ErrorTextProps,
  errorIssues,
  errorMessage,
  inlineIssues,
  inUiWords,
  issuesByPath,
} from './error-text';
export { Field, type FieldProps, invalidProps } from './field';
export { type FieldNoun, type FieldNouns, fieldMessages } from './field-issues';
export { FormFooter, type FormFooterProps } from './form-footer';
export {
  formatDuration,
  formatPercent,
  formatRelative,
  fromLocalInput,
  humanizeMs,
  toLocalInput,
} from './format';
export { JsonView, type JsonViewProps, prettyJson } from './json-view';
export {
  KeyValueEditor,
  type KeyValueEditorProps,
  type KeyValueRow,
  rowsFromRecord,
  rowsToRecord,
  validateHeaderRows,
} from './key-value-editor';
export { Modal, type ModalProps } from './modal';
export { PageHeader, type PageHeaderProps } from './page-header';
export { RelativeTime, useNow } from './relative-time';
export {
  type EndpointState,
  endpointState,
  StatusBadge,
  type StatusBadgeProps,
  statusLabels,
} from './status-badge';
export { type TabIds, type TabItem, Tabs, type TabsProps, tabPanelProps, useTabs } from './tabs';
export { dismissToast, Toaster, type ToastKind, type ToastLink, toast, useToasts } from './toasts';
export { TypeOptions, type TypeOptionsProps } from './type-options';

import './components.css';
