/**
 * Catches a page's render errors so one broken view does not blank the app.
 *
 * @module
 */
import { Alert, Button, Code, Stack } from "@mantine/core";
import { TriangleAlert } from "lucide-react";
import { Component, type ReactNode } from "react";

interface State {
  error: Error | null;
}

/** Shows the error and a retry button instead of its children after a render error. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Alert
        color="red"
        icon={<TriangleAlert size={18} />}
        title="This view failed to render"
        data-testid="view-error"
      >
        <Stack gap="sm" align="flex-start">
          <Code block>{this.state.error.message}</Code>
          <Button size="xs" variant="light" color="red" onClick={() => this.setState({ error: null })}>
            Try again
          </Button>
        </Stack>
      </Alert>
    );
  }
}
