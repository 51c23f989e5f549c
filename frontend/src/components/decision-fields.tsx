import { Code, Text, Textarea } from '@mantine/core';
import { shortHash } from '../lib/short-hash';

/** The longest comment the API stores. */
export const DECISION_COMMENT_MAX = 2000;

/** The plan a decision is bound to, by its short hash; the full SHA-256 is what the decision sends. */
export function PlanHash({ sha256 }: { sha256: string }) {
  return (
    <Text size="sm" component="span">
      Plan <Code aria-label="Plan hash">{shortHash(sha256)}</Code>
    </Text>
  );
}

/** The optional comment an approver gives with an approval. */
export function DecisionComment({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <Textarea
      label="Comment (optional)"
      description="Kept with your approval on the run and in the audit log."
      autosize
      minRows={1}
      maxLength={DECISION_COMMENT_MAX}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}
