-- AlterTable
ALTER TABLE "Evaluation" ADD COLUMN "segmentation" JSONB;
