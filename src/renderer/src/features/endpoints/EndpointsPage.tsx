import { PageHeader } from '../../components';

export function EndpointsPage() {
  return <PageHeader title="Endpoints" />;
}
