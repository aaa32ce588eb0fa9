import { PageHeader } from '../../components';

export function SettingsPage() {
  return <PageHeader title="Settings" />;
}
