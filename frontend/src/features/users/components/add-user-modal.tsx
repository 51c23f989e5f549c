import { Alert, Button, Group, Modal, NativeSelect, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { applyProblemToForm } from '../../../lib/problem-form-errors';
import type { Role } from '../../access/api/me-queries';
import { useCreateUser } from '../api/use-create-user';
import { MIN_PASSWORD_LENGTH } from '../api/user-queries';
import { roleDescriptions, roleOptions } from './role-options';
import { LengthCounter } from '../../../components/length-counter';
import { NAME_MAX } from '../../../lib/field-limits';

interface AddUserValues {
  email: string;
  displayName: string;
  role: Role;
  password: string;
}

const initialValues: AddUserValues = { email: '', displayName: '', role: 'viewer', password: '' };

export function AddUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Add user" closeButtonProps={{ 'aria-label': 'Close' }} size="lg">
      {opened && <AddUserForm onDone={onClose} />}
    </Modal>
  );
}

function AddUserForm({ onDone }: { onDone: () => void }) {
  const createUser = useCreateUser();
  // No client-side rules: the API's messages are the ones shown.
  const form = useForm<AddUserValues>({ mode: 'controlled', initialValues });
  const [formError, setFormError] = useState<string | null>(null);

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const user = await createUser.mutateAsync({
        email: values.email.trim(),
        displayName: values.displayName.trim(),
        role: values.role,
        password: values.password,
      });
      notifications.show({ color: 'green', title: 'User added', message: `${user.displayName} (${user.email})` });
      onDone();
    } catch (error) {
      setFormError(applyProblemToForm(form, error, { conflictField: 'email' }));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Email" type="email" withAsterisk data-autofocus {...form.getInputProps('email')} key={form.key('email')} />
        <TextInput
          label="Display name"
          withAsterisk
          maxLength={NAME_MAX}
          rightSection={<LengthCounter value={form.values.displayName} max={NAME_MAX} />}
          rightSectionWidth={90}
          {...form.getInputProps('displayName')}
          key={form.key('displayName')}
        />
        <NativeSelect
          label="Role"
          description={roleDescriptions}
          data={roleOptions}
          {...form.getInputProps('role')}
          key={form.key('role')}
        />
        <PasswordInput
          withAsterisk
          label="Password"
          description={`At least ${MIN_PASSWORD_LENGTH} characters. Give it to the user; they sign in with it.`}
          autoComplete="new-password"
          {...form.getInputProps('password')}
          key={form.key('password')}
        />
        {formError && (
          <Alert color="red" variant="light" role="alert" style={{ whiteSpace: 'pre-line' }}>
            {formError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={createUser.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={createUser.isPending}>
            Add user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
