// Temporary placeholder created by UI-A so the app builds; UI-B replaces this file.
export function DeliveriesPage() {
  return (
    <>
      <header className="page-header">
        <h1>Deliveries</h1>
      </header>
      <div className="page-body" />
    </>
  );
}
