import { notifications } from '@mantine/notifications';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import type { ApiToken } from '../api/token-queries';
import { useRevokeToken } from '../api/use-revoke-token';

interface RevokeTokenDialogProps {
  opened: boolean;
  token: ApiToken | null;
  onClose: () => void;
}

export function RevokeTokenDialog({ opened, token, onClose }: RevokeTokenDialogProps) {
  const revoke = useRevokeToken();
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      opened={opened}
      title="Revoke token"
      message={`Revoke “${token?.name ?? ''}”? Whatever uses it is refused from now on. This cannot be undone.`}
      confirmLabel="Revoke"
      loading={revoke.isPending}
      error={revoke.error}
      onClose={close}
      onConfirm={() => {
        if (!token) return;
        revoke.mutate(token.id, {
          onSuccess: () => {
            notifications.show({ color: 'green', title: 'Token revoked', message: token.name });
            close();
          },
        });
      }}
    />
  );
}
