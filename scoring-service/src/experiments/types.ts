/** The experiment as the API, CLI and sheet see it. */
export const UNIT_TYPES = ['freelancer', 'company'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];
export const STATUSES = ['draft', 'running', 'stopped'] as const;
export type ExperimentStatus = (typeof STATUSES)[number];

export interface Arm {
  name: string;
  weight: number;
}

export interface Experiment {
  id: string;
  name: string;
  hypothesis: string | null;
  unit_type: UnitType;
  goal_metric: string;
  secondary_metrics: string[];
  /** The first arm is control. */
  arms: Arm[];
  salt: string;
  start_at: string;
  end_at: string | null;
  status: ExperimentStatus;
  pre_period_days: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface Assignment {
  experiment_id: string;
  unit_id: string;
  arm: string;
  assigned_at: string;
  source: 'api' | 'import';
}
