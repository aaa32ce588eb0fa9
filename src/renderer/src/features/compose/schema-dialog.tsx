import { hrefTo } from '../../app/router';
import { JsonView, Modal } from '../../components';

/** The JSON Schema an event type's data is checked against, opened from the "JSON Schema" badge. */
export function SchemaDialog({
  type,
  schema,
  onClose,
}: {
  type: string;
  schema: Record<string, unknown>;
  onClose: () => void;
}) {
  return (
    <Modal
      title={`JSON Schema of ${type}`}
      onClose={onClose}
      className="schema-dialog"
      footer={
        <a className="btn" href={hrefTo(`/settings/event-types?type=${encodeURIComponent(type)}`)} onClick={onClose}>
          Edit in Event types
        </a>
      }
    >
      <JsonView value={schema} />
    </Modal>
  );
}
