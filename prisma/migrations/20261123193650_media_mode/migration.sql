-- CreateEnum
CREATE TYPE "MediaMode" AS ENUM ('MESH', 'RELAY');

-- AlterTable
ALTER TABLE "Space" ADD COLUMN     "mediaMode" "MediaMode" NOT NULL DEFAULT 'MESH';

