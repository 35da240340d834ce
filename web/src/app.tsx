import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { SessionProvider, useMe, useSession } from './auth/session.js';
import { SignInPage } from './auth/sign-in.page.js';
import { matchAbilities } from './features/matching/matching-data.js';
import { ForbiddenPage, NotFoundPage } from './shell/not-found.page.js';
import { Shell } from './shell/shell.js';
import { Spinner } from './ui/states.js';
import { ToastProvider } from './ui/toast.js';

// Pages load on first visit, so the sign-in screen stays small.
const RecordsListPage = lazy(() =>
  import('./features/records/records-list.page.js').then((m) => ({ default: m.RecordsListPage })),
);
const RecordDetailPage = lazy(() =>
  import('./features/records/record-detail.page.js').then((m) => ({ default: m.RecordDetailPage })),
);
const RecordEditorPage = lazy(() =>
  import('./features/records/record-editor.page.js').then((m) => ({ default: m.RecordEditorPage })),
);
const SearchPage = lazy(() =>
  import('./features/search/search.page.js').then((m) => ({ default: m.SearchPage })),
);
const ImportsListPage = lazy(() =>
  import('./features/imports/imports-list.page.js').then((m) => ({ default: m.ImportsListPage })),
);
const ImportDetailPage = lazy(() =>
  import('./features/imports/imports-list.page.js').then((m) => ({ default: m.ImportDetailPage })),
);
const ImportWizardPage = lazy(() =>
  import('./features/imports/import-wizard.page.js').then((m) => ({ default: m.ImportWizardPage })),
);
const AgreementsListPage = lazy(() =>
  import('./features/agreements/agreements-list.page.js').then((m) => ({ default: m.AgreementsListPage })),
);
const AgreementDetailPage = lazy(() =>
  import('./features/agreements/agreement-detail.page.js').then((m) => ({ default: m.AgreementDetailPage })),
);
const AgreementEditorPage = lazy(() =>
  import('./features/agreements/agreement-editor.page.js').then((m) => ({ default: m.AgreementEditorPage })),
);
const OrganizationsListPage = lazy(() =>
  import('./features/organizations/organizations-list.page.js').then((m) => ({
    default: m.OrganizationsListPage,
  })),
);
const OrganizationDetailPage = lazy(() =>
  import('./features/organizations/organization-detail.page.js').then((m) => ({
    default: m.OrganizationDetailPage,
  })),
);
const AuditPage = lazy(() =>
  import('./features/audit/audit.page.js').then((m) => ({ default: m.AuditPage })),
);
const UsersPage = lazy(() =>
  import('./features/admin/users.page.js').then((m) => ({ default: m.UsersPage })),
);
const SecurityPage = lazy(() =>
  import('./features/admin/security.page.js').then((m) => ({ default: m.SecurityPage })),
);

const HitsInboxPage = lazy(() =>
  import('./features/matching/hits-inbox.page.js').then((m) => ({ default: m.HitsInboxPage })),
);
const HitDetailPage = lazy(() =>
  import('./features/matching/hit-detail.page.js').then((m) => ({ default: m.HitDetailPage })),
);
const CheckPage = lazy(() =>
  import('./features/matching/check.page.js').then((m) => ({ default: m.CheckPage })),
);
const DisclosuresPage = lazy(() =>
  import('./features/matching/disclosures.page.js').then((m) => ({ default: m.DisclosuresPage })),
);
const DisclosureDetailPage = lazy(() =>
  import('./features/matching/disclosure-detail.page.js').then((m) => ({ default: m.DisclosureDetailPage })),
);
const XrefListPage = lazy(() =>
  import('./features/matching/xref.page.js').then((m) => ({ default: m.XrefListPage })),
);
const XrefDetailPage = lazy(() =>
  import('./features/matching/xref.page.js').then((m) => ({ default: m.XrefDetailPage })),
);

/** Shows the page only with the platform permission; otherwise a 403 page. */
function Require({ permission, children }: { permission: string; children: ReactNode }) {
  const me = useMe();
  return me.permissions.includes(permission) ? children : <ForbiddenPage />;
}

/** Shows a matching page only to those who may read hits (or, with `act`, check and decide). */
function RequireMatching({ act = false, children }: { act?: boolean; children: ReactNode }) {
  const abilities = matchAbilities(useMe());
  return (act ? abilities.act : abilities.read) ? children : <ForbiddenPage />;
}

function Home() {
  const me = useMe();
  return <Navigate to={me.permissions.includes('records.read') ? '/records' : '/agreements'} replace />;
}

function SignedInRoutes() {
  return (
    <Suspense fallback={<Spinner block />}>
      <Routes>
        <Route element={<Shell />}>
          <Route index element={<Home />} />
          <Route path="records">
            <Route
              index
              element={
                <Require permission="records.read">
                  <RecordsListPage />
                </Require>
              }
            />
            <Route
              path="new"
              element={
                <Require permission="records.create">
                  <RecordEditorPage />
                </Require>
              }
            />
            <Route
              path=":id"
              element={
                <Require permission="records.read">
                  <RecordDetailPage />
                </Require>
              }
            />
            <Route
              path=":id/edit"
              element={
                <Require permission="records.create">
                  <RecordEditorPage />
                </Require>
              }
            />
          </Route>
          <Route
            path="search"
            element={
              <Require permission="records.read">
                <SearchPage />
              </Require>
            }
          />
          <Route path="imports">
            <Route
              index
              element={
                <Require permission="records.create">
                  <ImportsListPage />
                </Require>
              }
            />
            <Route
              path="new"
              element={
                <Require permission="records.create">
                  <ImportWizardPage />
                </Require>
              }
            />
            <Route
              path=":id"
              element={
                <Require permission="records.create">
                  <ImportDetailPage />
                </Require>
              }
            />
          </Route>
          <Route path="matching">
            <Route index element={<Navigate to="/matching/hits" replace />} />
            <Route
              path="hits"
              element={
                <RequireMatching>
                  <HitsInboxPage />
                </RequireMatching>
              }
            />
            <Route
              path="hits/:id"
              element={
                <RequireMatching>
                  <HitDetailPage />
                </RequireMatching>
              }
            />
            <Route
              path="check"
              element={
                <RequireMatching act>
                  <CheckPage />
                </RequireMatching>
              }
            />
            <Route
              path="disclosures"
              element={
                <RequireMatching>
                  <DisclosuresPage />
                </RequireMatching>
              }
            />
            <Route
              path="disclosures/:id"
              element={
                <RequireMatching>
                  <DisclosureDetailPage />
                </RequireMatching>
              }
            />
            <Route
              path="xref"
              element={
                <RequireMatching>
                  <XrefListPage />
                </RequireMatching>
              }
            />
            <Route
              path="xref/:id"
              element={
                <RequireMatching>
                  <XrefDetailPage />
                </RequireMatching>
              }
            />
          </Route>
          <Route path="agreements">
            <Route index element={<AgreementsListPage />} />
            <Route
              path="new"
              element={
                <Require permission="agreements.create">
                  <AgreementEditorPage />
                </Require>
              }
            />
            <Route path=":id" element={<AgreementDetailPage />} />
            <Route
              path=":id/edit"
              element={
                <Require permission="agreements.create">
                  <AgreementEditorPage />
                </Require>
              }
            />
          </Route>
          <Route path="organizations">
            <Route index element={<OrganizationsListPage />} />
            <Route path=":id" element={<OrganizationDetailPage />} />
          </Route>
          <Route
            path="audit"
            element={
              <Require permission="audit.read">
                <AuditPage />
              </Require>
            }
          />
          <Route
            path="admin/users"
            element={
              <Require permission="users.manage">
                <UsersPage />
              </Require>
            }
          />
          <Route path="account/security" element={<SecurityPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

function Gate() {
  const { status } = useSession();
  switch (status.kind) {
    case 'checking':
      return <Spinner block />;
    case 'signed_out':
    case 'mfa':
      return <SignInPage />;
    case 'signed_in':
      return <SignedInRoutes />;
  }
}

/** The application: session, notifications and routes. Signed-out visitors see the sign-in page at any address. */
export function App() {
  return (
    <BrowserRouter>
      <ToastProvider>
        <SessionProvider>
          <Gate />
        </SessionProvider>
      </ToastProvider>
    </BrowserRouter>
  );
}
