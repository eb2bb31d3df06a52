# Generated from ui/import_options_page.ui — do not edit — regenerate with: python packaging/build_generated.py
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'import_options_page.ui'
##
## Created by: Qt User Interface Compiler
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QButtonGroup, QCheckBox, QComboBox,
    QGridLayout, QHBoxLayout, QLabel, QRadioButton,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget,
    QWizardPage)

class Ui_ImportOptionsPage(object):
    def setupUi(self, ImportOptionsPage):
        if not ImportOptionsPage.objectName():
            ImportOptionsPage.setObjectName(u"ImportOptionsPage")
        self.pageLayout = QVBoxLayout(ImportOptionsPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.choicesGrid = QGridLayout()
        self.choicesGrid.setObjectName(u"choicesGrid")
        self.choicesGrid.setHorizontalSpacing(12)
        self.choicesGrid.setVerticalSpacing(4)
        self.campaignLabel = QLabel(ImportOptionsPage)
        self.campaignLabel.setObjectName(u"campaignLabel")

        self.choicesGrid.addWidget(self.campaignLabel, 0, 0, 1, 1)

        self.campaignRow = QHBoxLayout()
        self.campaignRow.setObjectName(u"campaignRow")
        self.campaignCombo = QComboBox(ImportOptionsPage)
        self.campaignCombo.setObjectName(u"campaignCombo")
        self.campaignCombo.setEditable(True)
        self.campaignCombo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.campaignCombo.setMinimumContentsLength(32)

        self.campaignRow.addWidget(self.campaignCombo)

        self.campaignRowSpace = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.campaignRow.addItem(self.campaignRowSpace)


        self.choicesGrid.addLayout(self.campaignRow, 0, 1, 1, 1)

        self.campaignHintLabel = QLabel(ImportOptionsPage)
        self.campaignHintLabel.setObjectName(u"campaignHintLabel")

        self.choicesGrid.addWidget(self.campaignHintLabel, 1, 1, 1, 1)

        self.campaignSpace = QSpacerItem(0, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.choicesGrid.addItem(self.campaignSpace, 2, 0, 1, 1)

        self.regionLabel = QLabel(ImportOptionsPage)
        self.regionLabel.setObjectName(u"regionLabel")

        self.choicesGrid.addWidget(self.regionLabel, 3, 0, 1, 1)

        self.regionRow = QHBoxLayout()
        self.regionRow.setObjectName(u"regionRow")
        self.regionCombo = QComboBox(ImportOptionsPage)
        self.regionCombo.setObjectName(u"regionCombo")
        self.regionCombo.setMinimumContentsLength(28)

        self.regionRow.addWidget(self.regionCombo)

        self.regionRowSpace = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.regionRow.addItem(self.regionRowSpace)


        self.choicesGrid.addLayout(self.regionRow, 3, 1, 1, 1)

        self.regionHintLabel = QLabel(ImportOptionsPage)
        self.regionHintLabel.setObjectName(u"regionHintLabel")

        self.choicesGrid.addWidget(self.regionHintLabel, 4, 1, 1, 1)

        self.regionSpace = QSpacerItem(0, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.choicesGrid.addItem(self.regionSpace, 5, 0, 1, 1)

        self.duplicatesLabel = QLabel(ImportOptionsPage)
        self.duplicatesLabel.setObjectName(u"duplicatesLabel")

        self.choicesGrid.addWidget(self.duplicatesLabel, 6, 0, 1, 1, Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)

        self.policyList = QVBoxLayout()
        self.policyList.setSpacing(2)
        self.policyList.setObjectName(u"policyList")
        self.policy_skip = QRadioButton(ImportOptionsPage)
        self.policyButtons = QButtonGroup(ImportOptionsPage)
        self.policyButtons.setObjectName(u"policyButtons")
        self.policyButtons.addButton(self.policy_skip)
        self.policy_skip.setObjectName(u"policy_skip")
        self.policy_skip.setChecked(True)
        self.policy_skip.setProperty(u"policy", u"skip")

        self.policyList.addWidget(self.policy_skip)

        self.skipHintLabel = QLabel(ImportOptionsPage)
        self.skipHintLabel.setObjectName(u"skipHintLabel")

        self.policyList.addWidget(self.skipHintLabel)

        self.policy_update = QRadioButton(ImportOptionsPage)
        self.policyButtons.addButton(self.policy_update)
        self.policy_update.setObjectName(u"policy_update")
        self.policy_update.setProperty(u"policy", u"update")

        self.policyList.addWidget(self.policy_update)

        self.updateHintLabel = QLabel(ImportOptionsPage)
        self.updateHintLabel.setObjectName(u"updateHintLabel")

        self.policyList.addWidget(self.updateHintLabel)

        self.policy_mark = QRadioButton(ImportOptionsPage)
        self.policyButtons.addButton(self.policy_mark)
        self.policy_mark.setObjectName(u"policy_mark")
        self.policy_mark.setProperty(u"policy", u"mark")

        self.policyList.addWidget(self.policy_mark)

        self.markHintLabel = QLabel(ImportOptionsPage)
        self.markHintLabel.setObjectName(u"markHintLabel")

        self.policyList.addWidget(self.markHintLabel)


        self.choicesGrid.addLayout(self.policyList, 6, 1, 1, 1)

        self.policySpace = QSpacerItem(0, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.choicesGrid.addItem(self.policySpace, 7, 0, 1, 1)

        self.dryRunBox = QCheckBox(ImportOptionsPage)
        self.dryRunBox.setObjectName(u"dryRunBox")

        self.choicesGrid.addWidget(self.dryRunBox, 8, 1, 1, 1)

        self.choicesGrid.setColumnStretch(1, 1)

        self.pageLayout.addLayout(self.choicesGrid)

        self.bottomSpace = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.pageLayout.addItem(self.bottomSpace)

#if QT_CONFIG(shortcut)
        self.campaignLabel.setBuddy(self.campaignCombo)
        self.regionLabel.setBuddy(self.regionCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ImportOptionsPage)

        QMetaObject.connectSlotsByName(ImportOptionsPage)
    # setupUi

    def retranslateUi(self, ImportOptionsPage):
        ImportOptionsPage.setTitle(QCoreApplication.translate("ImportOptionsPage", u"Choose the campaign and what to do with duplicates", None))
        ImportOptionsPage.setSubTitle(QCoreApplication.translate("ImportOptionsPage", u"Leads that match an existing lead by email, phone number, or name and company are duplicates.", None))
        self.campaignLabel.setText(QCoreApplication.translate("ImportOptionsPage", u"&Campaign:", None))
        self.regionLabel.setText(QCoreApplication.translate("ImportOptionsPage", u"&Phone region:", None))
        self.regionHintLabel.setText(QCoreApplication.translate("ImportOptionsPage", u"Numbers written without a country code (+49\u2026) are read as numbers of this country.", None))
        self.duplicatesLabel.setText(QCoreApplication.translate("ImportOptionsPage", u"When a row is a duplicate:", None))
        self.policy_skip.setText(QCoreApplication.translate("ImportOptionsPage", u"&Skip the row", None))
        self.skipHintLabel.setText(QCoreApplication.translate("ImportOptionsPage", u"The existing lead stays as it is. The row is listed among the duplicates.", None))
        self.policy_update.setText(QCoreApplication.translate("ImportOptionsPage", u"&Update the existing lead", None))
        self.updateHintLabel.setText(QCoreApplication.translate("ImportOptionsPage", u"The row's non-empty values are written into the existing lead, and new phone numbers are added. Nothing is blanked.", None))
        self.policy_mark.setText(QCoreApplication.translate("ImportOptionsPage", u"Add it and &mark it as a possible duplicate", None))
        self.markHintLabel.setText(QCoreApplication.translate("ImportOptionsPage", u"A new lead is added, linked to the one it matches, for someone to merge or discard later.", None))
        self.dryRunBox.setText(QCoreApplication.translate("ImportOptionsPage", u"D&ry run: check the file and count, but save nothing", None))
    # retranslateUi

