// Temporary placeholder created by UI-A so the app builds; UI-B replaces this file.
export function ComposePage() {
  return (
    <>
      <header className="page-header">
        <h1>Compose</h1>
      </header>
      <div className="page-body" />
    </>
  );
}
