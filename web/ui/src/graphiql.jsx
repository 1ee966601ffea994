// GraphiQL served by the hub itself, with its example queries as tabs:
// every asset is bundled, nothing is fetched from elsewhere.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/graphiql.css';
import { examples } from './examples.js';

const token = localStorage.getItem('countyhub.token');
const fetcher = createGraphiQLFetcher({
  url: new URL('/graphql', location.href).toString(),
  headers: token ? { Authorization: `Bearer ${token}` } : {},
});

const tabs = examples.map((e) => ({ query: e.query, variables: JSON.stringify(e.variables, null, 2) }));

// The variables editor starts from the `variables` prop, not from the
// first tab: give it the first tab's.
createRoot(document.getElementById('graphiql')).render(
  <GraphiQL fetcher={fetcher} defaultEditorToolsVisibility="variables" defaultTabs={tabs} variables={tabs[0].variables} />,
);
