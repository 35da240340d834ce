import type { Core, ElementDefinition } from 'cytoscape';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { get } from '../../api/client.js';
import type { LinkNode, RecordLinks } from '../../api/types.js';
import { TlpChip } from '../../ui/chips.js';
import { IconLock } from '../../ui/icons.js';
import { EmptyState, ErrorState, Spinner } from '../../ui/states.js';
import { useApi } from '../../ui/use-api.js';

/** The node's id in the graph: a record id, or the placeholder's opaque key. */
function nodeKey(node: LinkNode): string {
  return node.restricted ? node.key : node.id;
}

/** The record's direct links: a Cytoscape graph, and the same links as an accessible table. */
export function RecordLinksPanel({
  recordId,
  schemaLabel,
}: {
  recordId: string;
  schemaLabel: (s: string) => string;
}) {
  const { t } = useTranslation();
  const links = useApi(`links-${recordId}`, (signal) =>
    get<RecordLinks>(`/records/${encodeURIComponent(recordId)}/links`, undefined, signal),
  );
  if (links.error) return <ErrorState error={links.error} onRetry={links.reload} />;
  if (!links.data) return <Spinner block />;
  const { nodes, edges } = links.data;
  if (edges.length === 0) return <EmptyState>{t('recordLinks.none')}</EmptyState>;

  const byKey = new Map(nodes.map((n) => [nodeKey(n), n]));
  const end = (key: string) => {
    const node = byKey.get(key);
    if (!node || node.restricted)
      return (
        <span className="restricted">
          <IconLock /> {t('recordLinks.restricted')}
        </span>
      );
    if (node.id === recordId) return <strong dir="auto">{node.caption}</strong>;
    return (
      <Link to={`/records/${node.id}`} dir="auto">
        {node.caption || node.id}
      </Link>
    );
  };

  return (
    <div className="stack">
      <LinkGraph recordId={recordId} data={links.data} />
      <p className="muted small">{t('recordLinks.legend')}</p>
      <table className="table table--plain" data-testid="links-table">
        <caption className="visually-hidden">{t('recordLinks.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('recordLinks.link')}</th>
            <th scope="col">{t('recordLinks.from')}</th>
            <th scope="col">{t('recordLinks.to')}</th>
            <th scope="col">{t('records.tlp')}</th>
          </tr>
        </thead>
        <tbody>
          {edges.map((e) => (
            <tr key={e.id}>
              <td>
                {schemaLabel(e.schema)}
                {e.label && e.label !== e.schema && (
                  <div className="muted small" dir="auto">
                    {e.label}
                  </div>
                )}
              </td>
              <td>{end(e.source)}</td>
              <td>{end(e.target)}</td>
              <td>
                <TlpChip label={e.tlp} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The graph itself. Cytoscape loads on first use (it is large); the canvas is hidden from screen
 * readers because the table below carries the same links.
 */
function LinkGraph({ recordId, data }: { recordId: string; data: RecordLinks }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const container = useRef<HTMLDivElement>(null);
  const restrictedLabel = `🔒 ${t('recordLinks.restricted')}`;

  useEffect(() => {
    let cy: Core | null = null;
    let cancelled = false;
    void import('cytoscape').then(({ default: cytoscape }) => {
      if (cancelled || !container.current) return;
      const keys = new Set(data.nodes.map(nodeKey));
      const elements: ElementDefinition[] = [
        ...data.nodes.map((n) => ({
          data: n.restricted
            ? { id: n.key, label: restrictedLabel, kind: 'restricted' }
            : { id: n.id, label: n.caption || n.id, kind: n.id === recordId ? 'self' : 'record' },
        })),
        // An edge whose end the answer left out would make Cytoscape throw; skip it (the table keeps it).
        ...data.edges
          .filter((e) => keys.has(e.source) && keys.has(e.target))
          .map((e) => ({
            data: { id: `edge:${e.id}`, source: e.source, target: e.target, label: e.label || e.schema },
          })),
      ];
      cy = cytoscape({
        container: container.current,
        elements,
        userZoomingEnabled: false,
        // A graph of two or three nodes would otherwise be fitted at a giant zoom.
        maxZoom: 1.3,
        minZoom: 0.3,
        boxSelectionEnabled: false,
        autoungrabify: true,
        layout: {
          name: 'concentric',
          concentric: (node) => (node.data('kind') === 'self' ? 2 : 1),
          levelWidth: () => 1,
          minNodeSpacing: 70,
          padding: 24,
        },
        style: [
          {
            selector: 'node',
            style: {
              label: 'data(label)',
              'background-color': '#1d4ed8',
              color: '#17202c',
              'font-size': 11,
              'text-valign': 'bottom',
              'text-margin-y': 4,
              'text-wrap': 'ellipsis',
              'text-max-width': '140px',
              width: 26,
              height: 26,
            },
          },
          {
            selector: 'node[kind = "self"]',
            style: { 'background-color': '#13233a', width: 36, height: 36, 'font-weight': 'bold' },
          },
          {
            selector: 'node[kind = "restricted"]',
            style: {
              'background-color': '#d1d5db',
              'border-width': 2,
              'border-style': 'dashed',
              'border-color': '#6b7280',
              color: '#55606e',
              shape: 'round-rectangle',
            },
          },
          {
            selector: 'edge',
            style: {
              width: 2,
              'line-color': '#94a3b8',
              'target-arrow-color': '#94a3b8',
              'target-arrow-shape': 'triangle',
              'curve-style': 'bezier',
              label: 'data(label)',
              'font-size': 10,
              color: '#55606e',
              'text-rotation': 'autorotate',
              'text-background-color': '#ffffff',
              'text-background-opacity': 1,
            },
          },
        ],
      });
      cy.on('tap', 'node[kind = "record"]', (event) => navigate(`/records/${event.target.id()}`));
      cy.on('mouseover', 'node[kind = "record"]', () => {
        if (container.current) container.current.style.cursor = 'pointer';
      });
      cy.on('mouseout', 'node', () => {
        if (container.current) container.current.style.cursor = '';
      });
    });
    return () => {
      cancelled = true;
      cy?.destroy();
    };
  }, [data, recordId, navigate, restrictedLabel]);

  return <div ref={container} className="link-graph" data-testid="link-graph" aria-hidden="true" />;
}
