import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { useMe, useSession } from '../auth/session.js';
import { type MatchBadges, useMatchBadges } from '../features/matching/matching-badges.js';
import { matchAbilities } from '../features/matching/matching-data.js';
import '../features/matching/matching.css';
import { formatNumber } from '../ui/format.js';
import { IconMenu } from '../ui/icons.js';
import { vocabLabel } from '../ui/vocab.js';
import { DemoBanner } from './demo-banner.js';
import { LanguageSelect } from './language-select.js';

/** A count beside a navigation entry ("3 new"), with what it counts for screen readers. */
interface NavBadge {
  count: number;
  tone: 'info' | 'bad';
  label: string;
}

interface NavItem {
  to: string;
  label: string;
  end?: boolean;
  badges?: NavBadge[];
}

interface NavGroup {
  heading: string;
  items: NavItem[];
}

/** The navigation groups the user's permissions allow, in task order. */
function useNavGroups(badges: MatchBadges | null): NavGroup[] {
  const { t } = useTranslation();
  const me = useMe();
  const can = (p: string) => me.permissions.includes(p);
  const groups: NavGroup[] = [];
  const intel: NavItem[] = [];
  if (can('records.read')) intel.push({ to: '/search', label: t('nav.search') });
  if (can('records.read')) intel.push({ to: '/records', label: t('nav.records'), end: true });
  if (can('records.create')) intel.push({ to: '/records/new', label: t('nav.newRecord') });
  if (can('records.create')) intel.push({ to: '/imports/new', label: t('nav.importData') });
  if (can('records.create')) intel.push({ to: '/imports', label: t('nav.imports'), end: true });
  if (intel.length) groups.push({ heading: t('nav.intelligence'), items: intel });
  const matching = matchAbilities(me);
  if (matching.read) {
    const count = (n: number | undefined, tone: NavBadge['tone'], label: string): NavBadge[] =>
      n ? [{ count: n, tone, label }] : [];
    const items: NavItem[] = [
      {
        to: '/matching/hits',
        label: t('nav.hits'),
        badges: count(badges?.unseen, 'info', t('nav.unseenHits', { n: badges?.unseen ?? 0 })),
      },
    ];
    if (matching.act) items.push({ to: '/matching/check', label: t('nav.check') });
    items.push({
      to: '/matching/disclosures',
      label: t('nav.disclosures'),
      badges: [
        ...count(
          (badges?.pendingIncoming ?? 0) - (badges?.overdueIncoming ?? 0),
          'info',
          t('nav.pendingDisclosures', {
            n: (badges?.pendingIncoming ?? 0) - (badges?.overdueIncoming ?? 0),
          }),
        ),
        ...count(
          badges?.overdueIncoming,
          'bad',
          t('nav.overdueDisclosures', { n: badges?.overdueIncoming ?? 0 }),
        ),
      ],
    });
    items.push({ to: '/matching/xref', label: t('nav.xref') });
    groups.push({ heading: t('nav.matching'), items });
  }
  groups.push({
    heading: t('nav.cooperation'),
    items: [
      { to: '/agreements', label: t('nav.agreements') },
      { to: '/organizations', label: t('nav.organizations') },
    ],
  });
  if (can('audit.read'))
    groups.push({ heading: t('nav.oversight'), items: [{ to: '/audit', label: t('nav.audit') }] });
  const admin: NavItem[] = [];
  if (can('users.manage')) admin.push({ to: '/admin/users', label: t('nav.users') });
  admin.push({ to: '/account/security', label: t('nav.security') });
  groups.push({ heading: t('nav.administration'), items: admin });
  return groups;
}

/** The application frame: skip link, top bar, grouped navigation and the page in `<main>`. */
export function Shell() {
  const { t } = useTranslation();
  const me = useMe();
  const { logout } = useSession();
  const badges = useMatchBadges(matchAbilities(me).read);
  const groups = useNavGroups(badges);
  const location = useLocation();
  const [navOpen, setNavOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // On navigation, close the mobile menu and move focus to the page so screen readers announce it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each navigation on purpose.
  useEffect(() => {
    setNavOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [location.pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('a11y.skipToContent')}
      </a>
      <DemoBanner />
      <header className="topbar">
        <button
          type="button"
          className="btn btn--icon topbar__menu"
          aria-expanded={navOpen}
          aria-controls="sidenav"
          aria-label={t('a11y.openMenu')}
          onClick={() => setNavOpen((v) => !v)}
        >
          <IconMenu />
        </button>
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true" />
          <span>{t('common.appName')}</span>
        </Link>
        <div className="topbar__org">
          <span className="topbar__org-name">{me.organization.name}</span>
          <span className="chip chip--neutral">{vocabLabel('orgKind', me.organization.kind)}</span>
        </div>
        <UserMenu name={me.displayName} email={me.email} onSignOut={() => void logout()} />
      </header>
      <div className="layout">
        <nav
          id="sidenav"
          className={`sidenav${navOpen ? ' sidenav--open' : ''}`}
          aria-label={t('a11y.mainNav')}
        >
          <div className="sidenav__inner">
            {groups.map((group) => (
              <div className="sidenav__group" key={group.heading}>
                <h2 className="sidenav__heading">{group.heading}</h2>
                <ul>
                  {group.items.map((item) => (
                    <li key={item.to}>
                      <NavLink to={item.to} end={item.end} className="nav-entry">
                        <span>{item.label}</span>
                        {item.badges?.map((b) => (
                          <span
                            key={b.tone}
                            className={`nav-badge nav-badge--${b.tone}`}
                            data-testid={`nav-badge-${b.tone}`}
                          >
                            <span aria-hidden="true">{formatNumber(b.count)}</span>
                            <span className="visually-hidden">{b.label}</span>
                          </span>
                        ))}
                      </NavLink>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1} className="main">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

function UserMenu({ name, email, onSignOut }: { name: string; email: string; onSignOut: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const initials = name
    .split(/\s+/)
    .map((p) => p[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

  return (
    <div className="usermenu" ref={ref}>
      <button
        type="button"
        className="usermenu__button"
        aria-expanded={open}
        aria-controls="usermenu-panel"
        aria-label={t('a11y.userMenu')}
        onClick={() => setOpen((v) => !v)}
      >
        <span className="avatar" aria-hidden="true">
          {initials}
        </span>
        <span className="usermenu__name">{name}</span>
      </button>
      {open && (
        <div className="usermenu__panel" id="usermenu-panel">
          <p className="usermenu__who">
            {t('nav.signedInAs', { name })}
            <br />
            <span className="muted" dir="ltr">
              {email}
            </span>
          </p>
          <p className="usermenu__roles">{me.roles.map((r) => vocabLabel('role', r)).join(' · ')}</p>
          <LanguageSelect />
          <Link to="/account/security" className="usermenu__link" onClick={() => setOpen(false)}>
            {t('nav.security')}
          </Link>
          <button type="button" className="btn btn--block" onClick={onSignOut}>
            {t('nav.signOut')}
          </button>
        </div>
      )}
    </div>
  );
}
