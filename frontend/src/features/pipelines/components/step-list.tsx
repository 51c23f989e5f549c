import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon, Anchor, Button, Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { useLayoutEffect, useRef } from 'react';
import { Link } from 'react-router';
import { StatusBadge } from '../../../components/status-badge';
import type { PipelineStep } from '../api/pipeline-queries';

/*
 * All drag-and-drop code of the SPA lives here. The arrows and the drag handles both end in the same
 * `onMove(from, to)` (the page passes `useMoveStep().moveStep`), so both paths reorder identically.
 */

interface StepListProps {
  provider: string;
  steps: PipelineStep[];
  /** Moves the step at index `from` to index `to`. */
  onMove: (from: number, to: number) => void;
  onRemove: (step: PipelineStep) => void;
  /** Opens the inputs editor of a step. */
  onEditInputs: (step: PipelineStep) => void;
  /** A reorder is being saved: moves are refused until it is done. */
  saving?: boolean;
  /** The user may reorder and remove steps; otherwise the list only shows them (no handles, arrows or Remove). */
  editable?: boolean;
}

const screenReaderInstructions = {
  draggable:
    'To move a step, press Space or Enter on its drag handle, use the up and down arrow keys to choose its new place, ' +
    'then press Space or Enter to drop it there, or Escape to cancel.',
};

export function StepList({ provider, steps, onMove, onRemove, onEditInputs, saving = false, editable = true }: StepListProps) {
  const names = new Map(steps.map((step) => [step.id, step.deploymentName]));
  const sensors = useSensors(
    // A few pixels of movement before a drag starts, so that a click on the handle stays a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = steps.map((step) => step.id);
  const indexOf = (id: UniqueIdentifier) => ids.indexOf(String(id));
  const nameOf = (id: UniqueIdentifier) => steps[indexOf(id)]?.deploymentName ?? 'The step';
  const placeOf = (id: UniqueIdentifier | undefined) =>
    id === undefined ? '' : `position ${indexOf(id) + 1} of ${steps.length}`;

  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${nameOf(active.id)} at ${placeOf(active.id)}.`,
    onDragOver: ({ active, over }) =>
      over ? `${nameOf(active.id)} is over ${placeOf(over.id)}.` : `${nameOf(active.id)} is no longer over a step.`,
    onDragEnd: ({ active, over }) =>
      over ? `${nameOf(active.id)} was dropped at ${placeOf(over.id)}.` : `${nameOf(active.id)} was dropped.`,
    onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled; it stays at ${placeOf(active.id)}.`,
  };

  const handleDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onMove(indexOf(active.id), indexOf(over.id));
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={handleDragEnd}
      accessibility={{ announcements, screenReaderInstructions }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <Stack component="ol" gap="xs" p={0} m={0} aria-label="Pipeline steps" style={{ listStyle: 'none' }}>
          {steps.map((step, index) => (
            <StepRow
              key={step.id}
              provider={provider}
              step={step}
              index={index}
              count={steps.length}
              saving={saving}
              editable={editable}
              onMove={onMove}
              onRemove={onRemove}
              onEditInputs={onEditInputs}
              sourceName={(id) => names.get(id) ?? 'a removed step'}
            />
          ))}
        </Stack>
      </SortableContext>
    </DndContext>
  );
}

interface StepRowProps {
  provider: string;
  step: PipelineStep;
  index: number;
  count: number;
  saving: boolean;
  editable: boolean;
  onMove: (from: number, to: number) => void;
  onRemove: (step: PipelineStep) => void;
  onEditInputs: (step: PipelineStep) => void;
  /** The deployment name of the step with this id. */
  sourceName: (stepId: string) => string;
}

function StepRow({ provider, step, index, count, saving, editable, onMove, onRemove, onEditInputs, sourceName }: StepRowProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: step.id,
    disabled: saving || !editable,
  });
  const upRef = useRef<HTMLButtonElement>(null);
  const downRef = useRef<HTMLButtonElement>(null);
  // An arrow that becomes disabled at an end would drop the keyboard focus: hand it to the other arrow.
  const refocus = useRef<'up' | 'down' | null>(null);
  useLayoutEffect(() => {
    if (refocus.current === 'up') upRef.current?.focus();
    if (refocus.current === 'down') downRef.current?.focus();
    refocus.current = null;
  }, [index]);

  const name = step.deploymentName;
  const first = index === 0;
  const last = index === count - 1;
  const move = (to: number) => {
    if (saving) return;
    // React may re-insert the moved row, which drops the focus: put it back on the arrow pressed,
    // or on the other arrow when this one is disabled at the new place (first or last).
    const upward = to < index;
    refocus.current = upward ? (to === 0 ? 'down' : 'up') : to === count - 1 ? 'up' : 'down';
    onMove(index, to);
  };

  return (
    <Paper
      component="li"
      ref={setNodeRef}
      withBorder
      p="sm"
      shadow={isDragging ? 'md' : undefined}
      aria-label={`Step ${index + 1}: ${name}`}
      style={{
        transform: CSS.Translate.toString(transform),
        transition,
        position: 'relative',
        zIndex: isDragging ? 1 : undefined,
      }}
    >
      {/* On a narrow screen the controls wrap under the name rather than cutting it short. */}
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group wrap="nowrap" gap="sm" miw={0} style={{ flex: '1 1 12rem' }}>
          {editable && (
            <ActionIcon
              ref={setActivatorNodeRef}
              variant="subtle"
              color="gray"
              aria-label={`Drag ${name}`}
              style={{ cursor: saving ? 'not-allowed' : isDragging ? 'grabbing' : 'grab', touchAction: 'none' }}
              {...attributes}
              {...listeners}
            >
              <span aria-hidden="true">⠿</span>
            </ActionIcon>
          )}
          <ThemeIcon variant="light" radius="xl" size="md" aria-hidden="true">
            <Text size="sm" fw={700}>
              {index + 1}
            </Text>
          </ThemeIcon>
          <Stack gap={0} miw={0}>
            <Anchor
              component={Link}
              to={`/${provider}/deployments/${step.deploymentId}`}
              fw={500}
              style={{ overflowWrap: 'anywhere' }}
            >
              {name}
            </Anchor>
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {step.templateName}
            </Text>
            {step.inputs.length > 0 && (
              <Stack component="ul" gap={0} p={0} m={0} aria-label={`Inputs of ${name}`} style={{ listStyle: 'none' }}>
                {step.inputs.map((input) => (
                  <Text component="li" key={input.variable} size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                    {input.variable} ← {sourceName(input.fromStepId)}.{input.output}
                  </Text>
                ))}
              </Stack>
            )}
          </Stack>
        </Group>
        <Group wrap="nowrap" gap="xs">
          <StatusBadge status={step.deploymentStatus} />
          {editable && (
            <>
              <ActionIcon
                ref={upRef}
                variant="default"
                aria-label={`Move ${name} up`}
                disabled={first}
                aria-disabled={saving || undefined}
                data-disabled={saving || undefined}
                onClick={() => move(index - 1)}
              >
                <span aria-hidden="true">↑</span>
              </ActionIcon>
              <ActionIcon
                ref={downRef}
                variant="default"
                aria-label={`Move ${name} down`}
                disabled={last}
                aria-disabled={saving || undefined}
                data-disabled={saving || undefined}
                onClick={() => move(index + 1)}
              >
                <span aria-hidden="true">↓</span>
              </ActionIcon>
              <Button size="xs" variant="subtle" aria-label={`Inputs of ${name}`} onClick={() => onEditInputs(step)}>
                Inputs
              </Button>
              <Button size="xs" variant="subtle" color="red" aria-label={`Remove ${name}`} onClick={() => onRemove(step)}>
                Remove
              </Button>
            </>
          )}
        </Group>
      </Group>
    </Paper>
  );
}
