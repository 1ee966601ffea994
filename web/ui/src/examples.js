// Saved example queries for GraphiQL: the queries the dashboard itself
// runs, with variables for the demo data.
import Compare from './queries/Compare.graphql';
import Overview from './queries/Overview.graphql';
import County from './queries/County.graphql';
import Series from './queries/Series.graphql';
import ImportRun from './queries/ImportRun.graphql';
import Node from './queries/Node.graphql';

/** The examples, in tab order. */
export const examples = [
  { query: Compare, variables: { metric: 'outcome.problems_resolved', period: '2023' } },
  { query: Overview, variables: {} },
  { query: County, variables: { code: '340828' } },
  { query: Series, variables: { metric: 'org.compound_party_branches', units: ['340803', '340881'], from: '2021', to: '2023' } },
  { query: Node, variables: { first: 3 } },
  { query: ImportRun, variables: { id: 'paste a run id from importRuns' } },
];
