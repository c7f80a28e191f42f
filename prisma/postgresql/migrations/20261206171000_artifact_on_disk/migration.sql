-- AlterTable
ALTER TABLE "Artifact" ADD COLUMN     "removedAt" TIMESTAMP(3),
ADD COLUMN     "selection" JSONB;
